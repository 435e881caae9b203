/**
 * Answers a whole evaluation form the way an inspector on a tablet does with auto-advance: tap
 * the answer on the item the form moved to (it holds the focus), type a measurement where one is
 * asked and tap "next unanswered". Counts the taps; used by `npm run bench` (taps.bench.ts).
 */
import type { Page } from 'playwright-core'

export interface TapRun {
  taps: number
  typed: number
  ms: number
}

export async function answerByTaps(page: Page): Promise<TapRun> {
  let taps = 0
  let typed = 0
  const t0 = Date.now()
  for (let guard = 0; guard < 400; guard++) {
    if ((await page.getByTestId('next-unanswered').count()) === 0) break
    const id = await page.evaluate(
      () =>
        document.activeElement?.closest('[data-testid=item-card]')?.getAttribute('data-item') ??
        null,
    )
    if (!id) {
      await page.getByTestId('next-unanswered').click()
      taps++
      continue
    }
    const card = page.locator(`[data-testid=item-card][data-item="${id}"]`)
    const kind = await card.getAttribute('data-kind')
    const group = await card.getAttribute('data-group')
    taps++
    if (kind === 'yesno')
      await card.getByTestId(group === 'section' ? 'answer-yes' : 'answer-no').click()
    else if (kind === 'scale') await card.locator('[data-testid^=scale-]').last().click()
    else if (kind === 'count') await card.getByTestId('count-none').click()
    else {
      const input = card.getByTestId('measure-input')
      const points = async () =>
        Number((await card.getByTestId('measure-points').innerText()).match(/\d+(\.\d+)?/)?.[0])
      await input.fill('0')
      const low = await points()
      await input.fill('100000')
      if ((await points()) < low) await input.fill('0')
      typed++
      await page.getByTestId('next-unanswered').click()
    }
  }
  return { taps, typed, ms: Date.now() - t0 }
}
