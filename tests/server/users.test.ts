/**
 * The admin's user endpoints (issue 13, the admin screen): an admin reaches only the users of
 * their units, grants no role above their own, every write is in the audit log, a refused write
 * changes nothing, and no answer carries a password hash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ListedUser, RoleBinding } from '../../src/protocol'
import { auth, ENGINES, openHarness, PASSWORD, signIn, type Harness } from './harness'

describe.each(ENGINES)('user administration on %s', (engine) => {
  let h: Harness
  const t: Record<string, string> = {}

  beforeAll(async () => {
    h = await openHarness(engine)
    for (const u of ['admin', 'js-admin', 'nj-inspector', 'zj-inspector']) t[u] = await signIn(h, u)
    // A city admin, and a user with roles in both provinces (made by the group's admin).
    for (const [username, roles] of [
      ['nj-admin', [{ role: 'admin', unit: 'group/江苏/南京' }]],
      [
        'two-provinces',
        [
          { role: 'viewer', unit: 'group/江苏' },
          { role: 'viewer', unit: 'group/浙江' },
        ],
      ],
    ] as [string, RoleBinding[]][]) {
      const r = await h.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: auth(t.admin!),
        payload: { username, displayName: `${username} 名`, password: PASSWORD, roles },
      })
      expect(r.statusCode).toBe(201)
    }
    t['nj-admin'] = await signIn(h, 'nj-admin')
  })
  afterAll(() => h.close())

  const idOf = async (username: string) =>
    (await h.db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [username]))[0]!
      .id
  const list = async (who: string) => {
    const r = await h.app.inject({ url: '/api/users', headers: auth(t[who]!) })
    expect(r.statusCode).toBe(200)
    return { body: r.body, users: (r.json() as { users: ListedUser[] }).users }
  }
  const patch = (who: string, id: number, payload: object) =>
    h.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: auth(t[who]!), payload })
  const create = (who: string, payload: object) =>
    h.app.inject({ method: 'POST', url: '/api/users', headers: auth(t[who]!), payload })
  /** Users, roles, sessions and the audit log: what a refused write must leave as it was. */
  const state = async () =>
    JSON.stringify(
      await h.db.query(
        `SELECT (SELECT json_agg(u ORDER BY id) FROM (SELECT id, username, display_name, disabled, password_hash FROM users) u) AS users,
                (SELECT json_agg(r ORDER BY user_id, role, unit) FROM roles r) AS roles,
                (SELECT count(*) FROM sessions WHERE revoked_at IS NOT NULL)::int AS revoked,
                (SELECT count(*) FROM audit)::int AS audit`,
      ),
    )

  it("lists the users of the admin's units and below, never a password hash", async () => {
    const js = await list('js-admin')
    const names = js.users.map((u) => u.username).sort()
    expect(names).toEqual(
      [
        'js-admin',
        'nj-manager',
        'nj-inspector',
        'js-inspector',
        'js-certifier',
        'nj-certifier',
        'js-viewer',
        'nj-admin',
        'two-provinces',
      ].sort(),
    )
    expect(js.body).not.toMatch(/argon2|password|hash/i)
    // Listed because one role is in 江苏, but not the admin's to change: a role is in 浙江.
    expect(js.users.find((u) => u.username === 'two-provinces')?.manageable).toBe(false)
    expect(js.users.filter((u) => !u.manageable).map((u) => u.username)).toEqual(['two-provinces'])
    // A city admin: the city's users only.
    const nj = (await list('nj-admin')).users.map((u) => u.username).sort()
    expect(nj).toEqual(['nj-admin', 'nj-certifier', 'nj-inspector', 'nj-manager'].sort())
    // The group's admin sees everyone and may change everyone.
    const all = await list('admin')
    expect(all.users.every((u) => u.manageable)).toBe(true)
    expect(all.users.map((u) => u.username)).toContain('zj-inspector')
    // Not an admin: refused.
    expect(
      (await h.app.inject({ url: '/api/users', headers: auth(t['nj-inspector']!) })).statusCode,
    ).toBe(403)
  })

  it("refuses, writing nothing, anything outside the admin's units or above their role", async () => {
    const zj = await idOf('zj-inspector')
    const nj = await idOf('nj-inspector')
    const both = await idOf('two-provinces')
    const before = await state()
    const refused = [
      // Another province's users.
      await patch('js-admin', zj, { disabled: true }),
      await patch('js-admin', zj, { password: 'another long password' }),
      await patch('js-admin', zj, { roles: [{ role: 'inspector', unit: 'group/江苏' }] }),
      await patch('js-admin', zj, { displayName: '改名' }),
      // A user with one role outside the admin's units.
      await patch('js-admin', both, { disabled: true }),
      await patch('js-admin', both, { roles: [{ role: 'viewer', unit: 'group/江苏' }] }),
      // Moving one's own user out of the province, or granting above one's own unit.
      await patch('js-admin', nj, { roles: [{ role: 'inspector', unit: 'group/浙江' }] }),
      await patch('js-admin', nj, { roles: [{ role: 'admin', unit: 'group' }] }),
      await patch('nj-admin', nj, { roles: [{ role: 'admin', unit: 'group/江苏' }] }),
      await patch('nj-admin', nj, { roles: [{ role: 'inspector', unit: 'group/江苏/苏州' }] }),
      await create('js-admin', {
        username: 'zj-new',
        displayName: '新',
        password: 'a long password',
        roles: [{ role: 'inspector', unit: 'group/浙江/杭州' }],
      }),
      await create('nj-admin', {
        username: 'js-new-admin',
        displayName: '新',
        password: 'a long password',
        roles: [{ role: 'admin', unit: 'group/江苏' }],
      }),
      await create('js-admin', {
        username: 'half-outside',
        displayName: '新',
        password: 'a long password',
        roles: [
          { role: 'viewer', unit: 'group/江苏' },
          { role: 'viewer', unit: 'group' },
        ],
      }),
      // Not an admin at all.
      await patch('nj-inspector', nj, { displayName: '自己改' }),
    ]
    expect(refused.map((r) => r.statusCode)).toEqual(refused.map(() => 403))
    for (const r of refused) expect(r.json().message).toMatch(/may not|not an admin/)
    expect(await state()).toBe(before)
    // The user's token still works: nothing was disabled or revoked.
    expect(
      (await h.app.inject({ url: '/api/me', headers: auth(t['zj-inspector']!) })).statusCode,
    ).toBe(200)
  })

  it('refuses, writing nothing, a user name taken in another case, and the admin locking themselves out', async () => {
    const me = await idOf('js-admin')
    const before = await state()
    const taken = await create('js-admin', {
      username: 'NJ-Inspector',
      displayName: '重名',
      password: 'a long password',
      roles: [{ role: 'inspector', unit: 'group/江苏/南京' }],
    })
    expect(taken.statusCode).toBe(409)
    expect(taken.json()).toMatchObject({ error: 'user-exists' })
    const own = [
      await patch('js-admin', me, { disabled: true }),
      await patch('js-admin', me, { roles: [{ role: 'viewer', unit: 'group/江苏' }] }),
      await patch('js-admin', me, { password: 'a new long password' }),
    ]
    expect(own.map((r) => [r.statusCode, r.json().error])).toEqual([
      [400, 'self-lockout'],
      [400, 'self-lockout'],
      [400, 'own-password'],
    ])
    expect(await state()).toBe(before)
  })

  it('creates, disables, enables, resets a password and changes roles within its units; each write is logged', async () => {
    const auditBefore = (await h.db.query<{ n: number }>('SELECT max(id)::int AS n FROM audit'))[0]!
      .n
    const made = await create('js-admin', {
      username: 'sz-inspector',
      displayName: '苏州检查员',
      password: 'first long password',
      roles: [{ role: 'inspector', unit: 'group/江苏/苏州' }],
    })
    expect(made.statusCode).toBe(201)
    expect(made.body).not.toMatch(/argon2|password|hash/i)
    const id = (made.json() as { id: number }).id
    const token = await h.app
      .inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: 'sz-inspector', password: 'first long password' },
      })
      .then((r) => (r.json() as { token: string }).token)

    // Disabled: the token stops at once and sign-in is refused; enabled: sign-in works again.
    expect((await patch('js-admin', id, { disabled: true })).json()).toMatchObject({
      disabled: true,
    })
    expect((await h.app.inject({ url: '/api/me', headers: auth(token) })).statusCode).toBe(401)
    const login = (password: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: 'sz-inspector', password },
      })
    expect((await login('first long password')).statusCode).toBe(401)
    expect((await patch('js-admin', id, { disabled: false })).json()).toMatchObject({
      disabled: false,
    })
    const again = (await (await login('first long password')).json()) as { token: string }

    // A reset password: the old one stops, the new one signs in, open sessions end.
    const reset = await patch('js-admin', id, { password: 'second long password' })
    expect(reset.statusCode).toBe(200)
    expect(reset.body).not.toMatch(/argon2|second long password/)
    expect((await h.app.inject({ url: '/api/me', headers: auth(again.token) })).statusCode).toBe(
      401,
    )
    expect((await login('first long password')).statusCode).toBe(401)
    expect((await login('second long password')).statusCode).toBe(200)
    const [hash] = await h.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE id = $1',
      [id],
    )
    expect(hash!.password_hash).toMatch(/^\$argon2id\$/)

    // Roles and units: moved to 南京 as a certifier too, and renamed.
    const roles = [
      { role: 'inspector', unit: 'group/江苏/南京' },
      { role: 'certifier', unit: 'group/江苏/南京' },
    ]
    const moved = await patch('js-admin', id, { roles, displayName: '南京检查员' })
    expect(moved.statusCode).toBe(200)
    expect(moved.json()).toMatchObject({
      displayName: '南京检查员',
      roles: expect.arrayContaining(roles),
    })
    // The city admin now reaches the moved user.
    expect((await list('nj-admin')).users.some((u) => u.username === 'sz-inspector')).toBe(true)

    const log = await h.db.query<{
      username: string
      action: string
      target: string
      detail: Record<string, unknown>
    }>('SELECT username, action, target, detail FROM audit WHERE id > $1 ORDER BY id', [
      auditBefore,
    ])
    expect(log.map((l) => [l.username, l.action, l.target])).toEqual([
      ['js-admin', 'create-user', 'sz-inspector'],
      ['js-admin', 'update-user', 'sz-inspector'],
      ['js-admin', 'update-user', 'sz-inspector'],
      ['js-admin', 'update-user', 'sz-inspector'],
      ['js-admin', 'update-user', 'sz-inspector'],
    ])
    expect(log.map((l) => l.detail)).toEqual([
      { roles: [{ role: 'inspector', unit: 'group/江苏/苏州' }] },
      { disabled: true },
      { disabled: false },
      { password: '(reset)' },
      {
        roles,
        displayName: '南京检查员',
        rolesBefore: [{ role: 'inspector', unit: 'group/江苏/苏州' }],
      },
    ])
    expect(JSON.stringify(log)).not.toMatch(/long password|argon2/)
  })
})
