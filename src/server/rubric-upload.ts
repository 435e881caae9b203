/**
 * An admin's rubric, variant or policy upload: validated in full (the schema and cross-field
 * rules of src/domain, and a variant resolved against its base) before it is stored, so no
 * device ever receives a file the engine would refuse.
 */
import { parseRubricText } from '../io/rubric-file'
import { normaliseProvince } from '../domain/rubric-registry'
import { demand, unitKind, type Actor } from './access'
import type { Sql } from './db'
import { conflict, unprocessable } from './errors'
import { readRecords, writeRecords, type WriteContext } from './records'
import type { Rubrics } from './rubrics'

export async function uploadRubric(
  sql: Sql,
  rubrics: Rubrics,
  actor: Actor,
  req: { text: string; unit: string },
  ctx: WriteContext,
): Promise<{ kind: string; key: string; written: boolean }> {
  demand(actor, 'admin', req.unit)
  const parsed = parseRubricText(req.text)
  if (!parsed.ok)
    throw unprocessable(
      'invalid-rubric',
      `the file does not validate: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      parsed.errors,
    )
  let kind: 'rubric' | 'policy'
  let key: string
  if (parsed.kind === 'policy') {
    kind = 'policy'
    key = `${req.unit}:${parsed.policy.id}@${parsed.policy.version}`
  } else if (parsed.kind === 'rubric') {
    if (req.unit !== 'group')
      throw unprocessable(
        'rubric-unit',
        'a complete rubric is uploaded for the group; a province uploads a variant',
      )
    kind = 'rubric'
    key = `${parsed.rubric.id}@${parsed.rubric.version}`
  } else {
    kind = 'rubric'
    const v = parsed.variant
    key = `${v.id}@${v.version}`
    if (unitKind(req.unit) !== 'group') {
      const province = req.unit.split('/')[1]!
      const named = (v.appliesTo?.provinces ?? []).map(normaliseProvince)
      if (named.length === 0 || named.some((p) => p !== normaliseProvince(province)))
        throw unprocessable(
          'variant-unit',
          `a variant uploaded for ${req.unit} applies only to ${province}`,
        )
    }
  }
  const existing = (await readRecords(sql, kind, [key])).get(key)
  if (existing && !existing.deleted) {
    if ((existing.data as { text?: string } | null)?.text === req.text)
      return { kind, key, written: false }
    throw conflict(
      'version-exists',
      `${key} is already published with different content; publish a new version`,
    )
  }
  // Built with everything already stored: a variant must resolve against its base, and a
  // rubric id@version must not clash with a shipped one.
  const stored = await sql.query<{ id: string; unit: string; data: { text: string } }>(
    "SELECT id, unit, data FROM records WHERE kind IN ('rubric', 'policy') AND NOT deleted ORDER BY version",
  )
  try {
    rubrics.build([
      ...stored.map((r) => ({ name: `upload:${r.id}`, text: r.data.text, unit: r.unit })),
      { name: `upload:${key}`, text: req.text, unit: req.unit },
    ])
  } catch (e) {
    throw unprocessable('invalid-rubric', (e as Error).message)
  }
  await writeRecords(
    sql,
    [
      {
        kind,
        id: key,
        unit: req.unit,
        storeCode: null,
        period: null,
        deleted: false,
        data: { text: req.text, kind: parsed.kind },
        authorId: actor.id,
        action: `upload-${parsed.kind}`,
      },
    ],
    ctx,
  )
  return { kind, key, written: true }
}
