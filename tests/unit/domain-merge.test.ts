import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  canonical,
  choiceKey,
  classify,
  mergeInto,
  planRecords,
  type Choice,
} from '../../src/domain/merge'
import { backupReminder, unsentIds } from '../../src/domain/backup-reminder'

interface Ev {
  id: string
  revision: number
  status: 'draft' | 'submitted' | 'returned'
  answers: Record<string, { itemId: string; value: number }>
  editSeq: number
}

const ev = (id: string, status: Ev['status'], value: number, revision = 1, editSeq = 0): Ev => ({
  id,
  revision,
  status,
  answers: { a: { itemId: 'a', value } },
  editSeq,
})

describe('classify', () => {
  it('add when the id is new, same when identical (editSeq ignored)', () => {
    expect(classify('evaluation', undefined, ev('x', 'draft', 1))).toBe('add')
    expect(
      classify('evaluation', ev('x', 'submitted', 1, 1, 9), ev('x', 'submitted', 1, 1, 0)),
    ).toBe('same')
  })
  it('a later state or a higher revision is an update; the reverse keeps local and says so', () => {
    expect(classify('evaluation', ev('x', 'draft', 1), ev('x', 'submitted', 2))).toBe('update')
    expect(classify('evaluation', ev('x', 'submitted', 1), ev('x', 'returned', 1))).toBe('update')
    expect(classify('evaluation', ev('x', 'submitted', 2), ev('x', 'draft', 1))).toBe('older')
    expect(classify('evaluation', ev('x', 'draft', 1, 1), ev('x', 'draft', 2, 2))).toBe('update')
  })
  it('two edited drafts, or two different submitted texts, conflict', () => {
    expect(classify('evaluation', ev('x', 'draft', 1), ev('x', 'draft', 2))).toBe('conflict')
    expect(classify('evaluation', ev('x', 'submitted', 1), ev('x', 'submitted', 2))).toBe(
      'conflict',
    )
  })
  it('corrective actions move open → done; other records conflict on any difference', () => {
    const act = (status: string, note: string) => ({ id: 'a', status, evidenceNote: note })
    expect(classify('action', act('open', ''), act('done', 'ok'))).toBe('update')
    expect(classify('action', act('done', 'ok'), act('open', ''))).toBe('older')
    expect(classify('store', { code: 's', name: 'A' }, { code: 's', name: 'B' })).toBe('conflict')
    expect(
      classify('store', { code: 's', name: 'A', city: 'x' }, { city: 'x', name: 'A', code: 's' }),
    ).toBe('same')
  })
  it('a conflict is settled by the choice, and only by it', () => {
    const local = new Map([['x', ev('x', 'draft', 1)]])
    const incoming = [ev('x', 'draft', 2)]
    expect(mergeInto('evaluation', local, incoming, (e) => e.id).get('x')!.answers.a!.value).toBe(1)
    const taken = mergeInto('evaluation', local, incoming, (e) => e.id, {
      [choiceKey('evaluation', 'x')]: 'incoming',
    })
    expect(taken.get('x')!.answers.a!.value).toBe(2)
  })
})

// Small alphabets so that the same id often meets itself in different states.
const evArb = fc
  .record({
    id: fc.constantFrom('e1', 'e2', 'e3', 'e4'),
    revision: fc.integer({ min: 1, max: 3 }),
    status: fc.constantFrom<Ev['status']>('draft', 'submitted', 'returned'),
    value: fc.integer({ min: 0, max: 2 }),
    editSeq: fc.integer({ min: 0, max: 5 }),
  })
  .map((r) => ev(r.id, r.status, r.value, r.revision, r.editSeq))
const tableArb = fc
  .uniqueArray(evArb, { selector: (e) => e.id })
  .map((l) => new Map(l.map((e) => [e.id, e])))
const bundleArb = fc.uniqueArray(evArb, { selector: (e) => e.id })
const choicesArb = fc.dictionary(
  fc.constantFrom('evaluation:e1', 'evaluation:e2', 'evaluation:e3', 'evaluation:e4'),
  fc.constantFrom<Choice>('local', 'incoming'),
)

const id = (e: Ev) => e.id
const dump = (m: Map<string, Ev>) =>
  canonical([...m.entries()].sort(([a], [b]) => a.localeCompare(b)))
/** editSeq is a per-device write counter, not content: equal records may differ in it. */
const content = (m: Map<string, Ev>) =>
  dump(new Map([...m].map(([k, e]) => [k, { ...e, editSeq: 0 }])))

describe('merge properties', () => {
  it('is idempotent: importing the same bundle twice equals once', () => {
    fc.assert(
      fc.property(tableArb, bundleArb, choicesArb, (local, incoming, choices) => {
        const once = mergeInto('evaluation', local, incoming, id, choices)
        const twice = mergeInto('evaluation', once, incoming, id, choices)
        expect(dump(twice)).toBe(dump(once))
        // And a second import of it finds nothing to add or update.
        const again = planRecords('evaluation', incoming, id, (k) => once.get(k))
        expect(again.filter((i) => i.verdict === 'add' || i.verdict === 'update')).toEqual([])
      }),
      { numRuns: 500 },
    )
  })

  it('is commutative where there is no conflict', () => {
    fc.assert(
      fc.property(tableArb, bundleArb, bundleArb, (local, a, b) => {
        const ab = mergeInto('evaluation', mergeInto('evaluation', local, a, id), b, id)
        const ba = mergeInto('evaluation', mergeInto('evaluation', local, b, id), a, id)
        const conflicts = (first: Map<string, Ev>, next: Ev[]) =>
          planRecords('evaluation', next, id, (k) => first.get(k)).some(
            (i) => i.verdict === 'conflict',
          )
        fc.pre(
          !conflicts(local, a) &&
            !conflicts(local, b) &&
            !conflicts(mergeInto('evaluation', local, a, id), b) &&
            !conflicts(mergeInto('evaluation', local, b, id), a),
        )
        expect(content(ab)).toBe(content(ba))
      }),
      { numRuns: 1000 },
    )
  })

  it('never loses a record: every id survives, and an incoming record not written was shown', () => {
    fc.assert(
      fc.property(tableArb, bundleArb, choicesArb, (local, incoming, choices) => {
        const plan = planRecords('evaluation', incoming, id, (k) => local.get(k))
        const out = mergeInto('evaluation', local, incoming, id, choices)
        for (const k of local.keys()) expect(out.has(k)).toBe(true)
        for (const item of plan) {
          const kept = canonical(out.get(item.id)) === canonical(item.incoming)
          // Not taken: only a listed conflict or an older record, never silently.
          if (!kept) expect(['conflict', 'older', 'same']).toContain(item.verdict)
          // Never goes backwards: the result is at least as far along as what was there.
          const before = local.get(item.id)
          const after = out.get(item.id)!
          if (before && item.verdict !== 'conflict') {
            expect(
              after.revision * 10 + ['draft', 'submitted', 'returned'].indexOf(after.status),
            ).toBeGreaterThanOrEqual(
              before.revision * 10 + ['draft', 'submitted', 'returned'].indexOf(before.status),
            )
          }
        }
      }),
      { numRuns: 500 },
    )
  })
})

describe('backup reminder', () => {
  const now = new Date('2026-12-10T12:00:00Z')
  it('is due after more than 7 days with unsent evaluations', () => {
    expect(backupReminder({ now, lastBackupAt: '2026-12-03T11:59:00Z', unsent: 2 })).toEqual({
      due: true,
      daysSinceBackup: 7,
      unsent: 2,
    })
    expect(backupReminder({ now, lastBackupAt: '2026-12-03T12:01:00Z', unsent: 2 }).due).toBe(false)
    expect(backupReminder({ now, lastBackupAt: null, unsent: 1 })).toEqual({
      due: true,
      daysSinceBackup: null,
      unsent: 1,
    })
  })
  it('is not due when everything was sent, however old the backup', () => {
    expect(backupReminder({ now, lastBackupAt: null, unsent: 0 }).due).toBe(false)
    expect(backupReminder({ now, lastBackupAt: '2025-01-01T00:00:00Z', unsent: 0 }).due).toBe(false)
  })
  it('counts as unsent only locked evaluations no export included', () => {
    expect(unsentIds(['a', 'b', 'c'], { b: '2026-12-01T00:00:00Z' })).toEqual(['a', 'c'])
  })
})
