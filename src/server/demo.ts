/**
 * `--demo`: the demo province as the app loads it (src/demo/records.ts: generated, submitted
 * evaluations scored by the engine) written to the server, plus one demo account per role.
 * Loading twice changes nothing (same ids; accounts that exist are kept).
 */
import { demoRecords } from '../demo/records'
import { pick } from '../domain/rubric-registry'
import type { Store } from '../domain/types'
import type { RoleBinding } from '../protocol'
import { cityPath, provincePath, storePath } from './access'
import type { Context } from './context'
import { readRecords, writeRecords, type RecordWrite } from './records'
import { upsertStores } from './register'
import { createUser } from './users'

/** The demo accounts (README lists them). Demo only: never load --demo on a production database. */
export function demoAccounts(
  stores: readonly Store[],
): { username: string; displayName: string; password: string; roles: RoleBinding[] }[] {
  const first = stores[0]!
  const province = provincePath(first.province)
  return [
    {
      username: 'demo-admin',
      displayName: '演示管理员',
      password: 'demo-admin-2026',
      roles: [{ role: 'admin', unit: 'group' }],
    },
    {
      username: 'demo-inspector',
      displayName: '演示检查员',
      password: 'demo-inspector-2026',
      roles: [{ role: 'inspector', unit: cityPath(first.province, first.city) }],
    },
    {
      username: 'demo-certifier',
      displayName: '演示认定员',
      password: 'demo-certifier-2026',
      roles: [{ role: 'certifier', unit: province }],
    },
    {
      username: 'demo-manager',
      displayName: '演示厅经理',
      password: 'demo-manager-2026',
      roles: [{ role: 'store-manager', unit: storePath(first) }],
    },
    {
      username: 'demo-viewer',
      displayName: '演示查看员',
      password: 'demo-viewer-2026',
      roles: [{ role: 'viewer', unit: province }],
    },
  ]
}

export async function loadDemo(
  ctx: Context,
): Promise<{ stores: number; evaluations: number; actions: number; accounts: string[] }> {
  const { registry } = await ctx.rubrics.current(ctx.db)
  const demo = demoRecords((store) => {
    const r = pick(registry, store)
    return r.ok ? r.entry.rubric : undefined
  })
  const system = { userId: null, username: 'demo-loader', deviceId: null }
  return ctx.db.tx(async (sql) => {
    await upsertStores(sql, null, demo.stores, system)
    const byCode = new Map(demo.stores.map((s) => [s.code, s]))
    const have = await readRecords(
      sql,
      'evaluation',
      demo.evaluations.map((e) => e.id),
    )
    const writes: RecordWrite[] = []
    for (const e of demo.evaluations) {
      if (have.has(e.id)) continue
      const store = byCode.get(e.storeCode)!
      writes.push({
        kind: 'evaluation',
        id: e.id,
        unit: storePath(store),
        storeCode: e.storeCode,
        period: e.period,
        deleted: false,
        data: e,
        authorId: null,
        action: 'demo-evaluation',
      })
    }
    const haveActions = await readRecords(
      sql,
      'action',
      demo.actions.map((a) => a.id),
    )
    for (const a of demo.actions) {
      if (haveActions.has(a.id)) continue
      writes.push({
        kind: 'action',
        id: a.id,
        unit: storePath(byCode.get(a.storeCode)!),
        storeCode: a.storeCode,
        period: null,
        deleted: false,
        data: a,
        authorId: null,
        action: 'demo-action',
      })
    }
    await writeRecords(sql, writes, system)
    const accounts: string[] = []
    for (const acc of demoAccounts(demo.stores)) {
      const exists = await sql.query('SELECT 1 FROM users WHERE username = $1', [acc.username])
      if (exists.length > 0) continue
      await createUser(sql, ctx.config.auth, null, acc, system)
      accounts.push(acc.username)
    }
    return {
      stores: demo.stores.length,
      evaluations: demo.evaluations.length,
      actions: demo.actions.length,
      accounts,
    }
  })
}
