/**
 * Databases, rubrics and data for the data-layer tests. Every test opens a database with a
 * unique name, so tests never see each other's rows.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { openDatabase, type AppDatabase } from '../../src/db/database'
import { createRepos, type Repos } from '../../src/db/repos'
import type { Clock } from '../../src/db/util'
import { parseRubricText } from '../../src/io/rubric-file'
import { rubricSchema, type Rubric } from '../../src/domain/rubric-schema'
import type { Store } from '../../src/domain/types'

let counter = 0
export function uniqueName(prefix = 'test'): string {
  counter += 1
  return `${prefix}-${process.pid}-${counter}-${Math.floor(performance.now())}`
}

/** A clock that advances one second per call, from a fixed start. */
export function steppingClock(start = '2026-11-02T09:00:00.000Z'): Clock {
  let t = Date.parse(start)
  return () => {
    const d = new Date(t)
    t += 1000
    return d
  }
}

export function freshDb(): { db: AppDatabase; repos: Repos } {
  const db = openDatabase(uniqueName())
  return { db, repos: createRepos(db, steppingClock()) }
}

/** The group rubric shipped in rubrics/. */
export function groupRubric(): Rubric {
  const path = fileURLToPath(new URL('../../rubrics/ct-store-service@1.0.0.yaml', import.meta.url))
  const parsed = parseRubricText(readFileSync(path, 'utf8'))
  if (!parsed.ok || parsed.kind !== 'rubric')
    throw new Error(`group rubric does not load: ${JSON.stringify(parsed)}`)
  return parsed.rubric
}

const t = (s: string) => ({ zh: s, en: s })
const SRC = '002_f6e0ab89cfbcd1f6.txt:L144'

/**
 * A small scored rubric: `greet` (yes/no, 40, note on loss), `wait` (scale 0..30 step 10,
 * photo on loss), `clean` (count, 30, −10 each, allows N/A, no evidence).
 */
export const smallRubric: Rubric = rubricSchema.parse({
  kind: 'rubric',
  id: 'small',
  version: '1.2.0',
  title: t('small'),
  appliesTo: { levels: [1, 2, 3], types: ['self'] },
  sections: [
    {
      id: 'a',
      title: t('a'),
      weight: 60,
      items: [
        {
          id: 'greet',
          kind: 'yesno',
          max: 40,
          evidence: 'note',
          label: t('greet'),
          hint: t('greet'),
          source: SRC,
        },
        {
          id: 'wait',
          kind: 'scale',
          max: 30,
          step: 10,
          evidence: 'photo',
          label: t('wait'),
          hint: t('wait'),
          source: SRC,
        },
      ],
    },
    {
      id: 'b',
      title: t('b'),
      weight: 40,
      items: [
        {
          id: 'clean',
          kind: 'count',
          max: 30,
          perOccurrence: 10,
          allowNA: true,
          evidence: 'none',
          label: t('clean'),
          hint: t('clean'),
          source: SRC,
        },
      ],
    },
  ],
})

export function store(code: string, extra: Partial<Store> = {}): Store {
  return {
    code,
    name: `店${code}`,
    province: '江苏',
    city: '南京',
    level: 2,
    type: 'self',
    ...extra,
  }
}

export function jpegLike(n: number, fill = 7): ArrayBuffer {
  return new Uint8Array(n).fill(fill).buffer
}
