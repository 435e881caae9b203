/** The submit check moved to src/domain/submit-check.ts so the sync server shares it. */
export * from '@/domain/submit-check'
