/**
 * The admin screen's own checks before anything is sent (the server checks again,
 * tests/server/users.test.ts): units outside the admin's reach, roles on the wrong kind of unit,
 * user names and passwords the server would refuse.
 */
import { describe, expect, it } from 'vitest'
import { inputProblem, roleFitsUnit, type UnitOption } from '../../src/stores/userAdmin'

const units: UnitOption[] = [
  { path: 'group/江苏', name: null },
  { path: 'group/江苏/南京', name: null },
  { path: 'group/江苏/南京/JSNJ001', name: '南京一号厅' },
]

describe('the admin form', () => {
  it('binds a store manager to a store and an inspector to anything but a store', () => {
    expect(roleFitsUnit('store-manager', 'group/江苏/南京/JSNJ001')).toBe(true)
    expect(roleFitsUnit('store-manager', 'group/江苏/南京')).toBe(false)
    expect(roleFitsUnit('inspector', 'group/江苏/南京/JSNJ001')).toBe(false)
    expect(roleFitsUnit('inspector', 'group')).toBe(true)
    expect(roleFitsUnit('viewer', 'group/江苏/南京/JSNJ001')).toBe(true)
  })

  it('names the first problem, or none', () => {
    const ok = {
      username: 'nj.inspector-2',
      password: 'a long password',
      roles: [{ role: 'inspector' as const, unit: 'group/江苏/南京' }],
    }
    expect(inputProblem(ok, units)).toBeNull()
    expect(inputProblem({ ...ok, username: 'x' }, units)).toEqual({ key: 'username' })
    expect(inputProblem({ ...ok, username: '李四' }, units)).toEqual({ key: 'username' })
    expect(inputProblem({ ...ok, password: 'short' }, units)).toEqual({ key: 'shortPassword' })
    expect(inputProblem({ ...ok, roles: [] }, units)).toEqual({ key: 'noRoles' })
    // Above the admin's own unit, or in another province: not offered, and refused if typed.
    for (const unit of ['group', 'group/浙江/杭州'])
      expect(inputProblem({ ...ok, roles: [{ role: 'inspector', unit }] }, units)).toEqual({
        key: 'unitNotYours',
        unit,
      })
    expect(
      inputProblem({ ...ok, roles: [{ role: 'store-manager', unit: 'group/江苏/南京' }] }, units),
    ).toEqual({ key: 'roleUnit' })
    // A change that sends only some fields checks only those.
    expect(inputProblem({ password: 'a long password' }, units)).toBeNull()
  })
})
