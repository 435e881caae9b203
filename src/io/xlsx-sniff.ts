/**
 * The small part of the workbook reader that every tabular import needs before it knows the
 * file is a workbook: the zip signature and the inflate limits. Kept apart from ./xlsx.ts so a
 * CSV import (the rankings CLI's usual input) does not load the zip reader, fflate and the
 * bundle format's schemas; ./xlsx.ts is imported when a file turns out to be a workbook.
 */
import type { ZipLimits } from './bundle/zip-read'

/** The zip local-file-header signature `PK\x03\x04` that every XLSX starts with. */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    bytes[2] === 0x03 &&
    bytes[3] === 0x04
  )
}

/** Why a workbook's zip was refused before parsing: one part, all parts, their count or ratio. */
export interface ArchiveTooLarge {
  what: 'part' | 'total' | 'ratio' | 'entries'
  /** The part's name, for `part` and `ratio`. */
  part?: string
  declared: number
  limit: number
}

/**
 * What a workbook may inflate to before SheetJS sees it. A sheet of 100,000 stores is ~25 MB of
 * XML deflated ~10-30x; a "1 MB file holding a 1 GB sheet" is 1000x, and a sheet of one row
 * repeated ~270x (refused too, as the bomb it usually is). The CLI passes larger limits (it
 * reads ten times the rows).
 */
export const XLSX_LIMITS: ZipLimits = {
  maxEntryBytes: 96 * 1024 * 1024,
  maxTotalBytes: 160 * 1024 * 1024,
  maxRatio: 200,
  maxEntries: 10_000,
}
