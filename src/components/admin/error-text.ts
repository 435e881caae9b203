import type { AdminResult } from '@/stores/userAdmin'

type T = (key: string, params?: Record<string, unknown>) => string

const KNOWN = new Set([
  'forbidden',
  'user-exists',
  'self-lockout',
  'own-password',
  'bad-role',
  'unknown-unit',
  'not-connected',
  'invalid-request',
])

/** The server's refusal in the user's language (its code decides; its English text is detail). */
export function adminErrorText(r: AdminResult, t: T): string {
  if (r.ok) return ''
  if (KNOWN.has(r.code)) return t(`admin.error.${r.code}`, { message: r.message })
  return t('admin.error.other', { message: r.message || r.code })
}
