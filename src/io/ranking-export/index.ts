/**
 * Ranking and certification exports: the table model from the pipeline's rows (./rows.ts) and
 * the XLSX and CSV sheets made from it (./sheets.ts).
 */
export * from './rows'
export * from './sheets'
