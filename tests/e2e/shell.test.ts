import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSession, removeProfile, screenshot, type Session } from './support/browser'

describe('app shell', () => {
  let s: Session
  beforeAll(async () => {
    s = await openSession()
  })
  afterAll(async () => {
    await s.close()
    removeProfile(s.profileDir)
  })

  it('starts in Chinese and switches to English', async () => {
    await s.page.goto('/')
    await expect.poll(() => s.page.title()).toBe('营业厅服务评价')
    await s.page.getByTestId('lang-toggle').click()
    await expect.poll(() => s.page.locator('html').getAttribute('lang')).toBe('en')
    await expect.poll(() => s.page.locator('header').innerText()).toContain('Settings')
    await screenshot(s.page, 'shell-en')
    await s.page.getByTestId('lang-toggle').click()
  })

  it('ships a strict Content-Security-Policy with no inline script', async () => {
    const html = await (await s.page.request.get('/')).text()
    expect(html).toContain('http-equiv="Content-Security-Policy"')
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    const violations: string[] = []
    s.page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
    })
    await s.page.goto('/settings')
    await s.page.waitForLoadState('networkidle')
    expect(violations).toEqual([])
  })

  it("loads each screen's own messages with it: words, never keys, in both languages, from the address bar", async () => {
    const { page } = s
    const keyLike =
      /\b(rankings|certify|charts|exchange|scores|status|admin|planning|stores|incremental|conflicts|evaluation|visit)\.[a-zA-Z]/
    // Straight from the address bar: the router waits for the screen's messages.
    for (const path of [
      '/rankings',
      '/rankings/import',
      '/certification',
      '/charts',
      '/exchange',
      '/settings',
      '/status',
      '/admin',
      '/plans',
      '/stores',
      '/stores/new',
      '/stores/import',
      '/daily',
      '/evaluations/new',
    ]) {
      await page.goto(path)
      await page.waitForLoadState('networkidle')
      const text = await page.locator('main').innerText()
      expect(text.length, path).toBeGreaterThan(0)
      expect(text, path).not.toMatch(keyLike)
    }
    // In English too, after switching on a screen that had loaded the Chinese words.
    await page.getByTestId('lang-toggle').click()
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en')
    await page.goto('/certification')
    await page.waitForLoadState('networkidle')
    const en = await page.locator('main').innerText()
    expect(en).not.toMatch(keyLike)
    expect(en).not.toMatch(/\p{Script=Han}{4,}/u)
    await page.getByTestId('lang-toggle').click()
  })
})
