import type { UnitOption } from '@/stores/userAdmin'

/** A unit as people read it: 集团 / 江苏 / 南京 / 南京一号厅（JSNJ001）; the path itself if unknown. */
export function unitLabel(
  path: string,
  units: readonly UnitOption[],
  groupWord: string,
  locale: 'zh' | 'en',
): string {
  const parts = path.split('/')
  const name = units.find((u) => u.path === path)?.name
  const shown = [groupWord, ...parts.slice(1)]
  if (name) {
    const code = shown.pop()!
    shown.push(locale === 'zh' ? `${name}（${code}）` : `${name} (${code})`)
  }
  return shown.join(' / ')
}
