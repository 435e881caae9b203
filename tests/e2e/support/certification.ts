import { expect } from 'vitest'
import type { Page } from 'playwright-core'

/** The demo province's cities (src/demo/generate.ts). */
export const DEMO_CITIES = ['南京', '苏州', '无锡', '常州', '徐州'] as const

/**
 * On /certification, the province chosen as the unit: names the actor, then takes every city
 * step of the province, the province step (refused until the cities are done) and the group
 * step, each checked as recorded by the actor. Leaves the page on /certification.
 */
export async function certifyProvince(
  page: Page,
  actor: string,
  province = '江苏',
  cities: readonly string[] = DEMO_CITIES,
): Promise<void> {
  await page.goto('/certification')
  await page.getByTestId('scope-select').selectOption('province')
  await page.getByTestId('province-select').selectOption(province)
  await page.getByTestId('actor-name').fill(actor)
  await page.getByTestId('actor-name').press('Tab')
  const provinceStep = page.getByTestId(`step-province-certify-${province}`)
  await expect.poll(() => provinceStep.getByTestId('step-run').isDisabled()).toBe(true) // cities first
  for (const city of cities) {
    const step = page.getByTestId(`step-city-certify-${province}/${city}`)
    await step.getByTestId('step-run').click()
    await expect.poll(() => step.innerText()).toContain(actor)
  }
  await provinceStep.getByTestId('step-run').click()
  await expect.poll(() => provinceStep.innerText()).toContain(actor)
  const groupStep = page.getByTestId(`step-group-certify-${province}`)
  await groupStep.getByTestId('step-run').click()
  await expect.poll(() => groupStep.innerText()).toContain(actor)
}

/**
 * On /certification: overrides the first candidate to `grade` with `reason` (the form refuses
 * it without one) and returns the store's code once the form has closed.
 */
export async function overrideFirstCandidate(
  page: Page,
  grade: 'excellent' | 'good' | 'pass' | 'fail',
  reason: string,
): Promise<string> {
  const row = page.locator('[data-testid^=cand-]').first()
  const code = (await row.getAttribute('data-testid'))!.slice(5)
  await row.getByTestId('override-open').click()
  await page.getByTestId('override-grade').selectOption(grade)
  await page.getByTestId('action-submit').click()
  await expect.poll(() => page.getByTestId('action-form').innerText()).toContain('请填写理由')
  await page.getByTestId('action-reason').fill(reason)
  await page.getByTestId('action-submit').click()
  await expect.poll(() => page.getByTestId('action-form').count()).toBe(0)
  return code
}
