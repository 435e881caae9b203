/**
 * Locale-aware formatting. Domain values stay in integer hundredths (Centi); only this layer
 * turns them into text, following the locale's number, date and collation rules.
 */
import type { Centi, Locale, Text } from '@/domain/types'

const tag = (locale: Locale): string => (locale === 'zh' ? 'zh-CN' : 'en-GB')

/**
 * Formatters are costly to make (the form and the rankings format hundreds of figures per
 * render), so each locale and option set gets one, kept.
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>()
function kept<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => F): F {
  let f = formatters.get(key) as F | undefined
  if (!f) {
    f = make()
    formatters.set(key, f)
  }
  return f
}

function nf(locale: Locale, digits: number): Intl.NumberFormat {
  return kept(
    `n:${locale}:${digits}`,
    () =>
      new Intl.NumberFormat(tag(locale), {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }),
  )
}

/** 8995 → "89.95" */
export function formatScore(centi: Centi | null | undefined, locale: Locale): string {
  if (centi === null || centi === undefined) return '—'
  return nf(locale, 2).format(centi / 100)
}

export function formatNumber(n: number, locale: Locale, digits = 0): string {
  return nf(locale, digits).format(n)
}

export function formatPercent(share: number, locale: Locale, digits = 1): string {
  return kept(
    `p:${locale}:${digits}`,
    () =>
      new Intl.NumberFormat(tag(locale), {
        style: 'percent',
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }),
  ).format(share)
}

export function formatDateTime(iso: string | number | Date | undefined, locale: Locale): string {
  if (iso === undefined || iso === '') return '—'
  const d = iso instanceof Date ? iso : new Date(iso)
  if (Number.isNaN(d.getTime())) return '—'
  return kept(
    `dt:${locale}`,
    () => new Intl.DateTimeFormat(tag(locale), { dateStyle: 'medium', timeStyle: 'short' }),
  ).format(d)
}

export function formatDate(iso: string | number | Date | undefined, locale: Locale): string {
  if (iso === undefined || iso === '') return '—'
  const d = iso instanceof Date ? iso : new Date(iso)
  if (Number.isNaN(d.getTime())) return '—'
  return kept(
    `d:${locale}`,
    () => new Intl.DateTimeFormat(tag(locale), { dateStyle: 'medium' }),
  ).format(d)
}

export function formatBytes(bytes: number, locale: Locale): string {
  const units = ['B', 'KB', 'MB', 'GB']
  let v = bytes
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${nf(locale, i === 0 ? 0 : 1).format(v)} ${units[i]}`
}

const collators = new Map<Locale, Intl.Collator>()
/** Sort order of the locale: pinyin for Chinese. */
export function collator(locale: Locale): Intl.Collator {
  let c = collators.get(locale)
  if (!c) {
    c = new Intl.Collator(locale === 'zh' ? 'zh-CN-u-co-pinyin' : 'en', {
      numeric: true,
      sensitivity: 'base',
    })
    collators.set(locale, c)
  }
  return c
}

/** Pick the label in the current language. */
export function tr(text: Text | undefined, locale: Locale): string {
  return text ? text[locale] : ''
}
