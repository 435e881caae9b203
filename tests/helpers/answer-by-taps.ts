/**
 * Answering an evaluation form in the browser the way a good store would earn its points, in
 * one place for the e2e tests and `npm run bench` (taps.bench.ts):
 * - `bestMeasure`: types whichever extreme of a measurement earns more (lower- or
 *   higher-is-better), so no evidence is asked for;
 * - `answerCard`: one card: yes on a section item, no on a deduction or bonus, the top of a
 *   scale, none on a count, the best measurement;
 * - `answerByTaps`: the whole form as an inspector on a tablet does with auto-advance: tap the
 *   answer on the item the form moved to (it holds the focus), type a measurement where one is
 *   asked and tap "next unanswered". Counts the taps.
 */
import type { Locator, Page } from 'playwright-core'

export interface TapRun {
  /** Taps on the screen: one per answer, one per "next unanswered". */
  taps: number
  /** Measurements typed (each followed by a tap on "next unanswered"). */
  typed: number
  ms: number
}

const pointsOf = async (card: Locator) =>
  Number((await card.getByTestId('measure-points').innerText()).match(/\d+(\.\d+)?/)?.[0] ?? -1)

export async function bestMeasure(card: Locator): Promise<void> {
  const input = card.getByTestId('measure-input')
  await input.fill('0')
  const low = await pointsOf(card)
  await input.fill('100000')
  if ((await pointsOf(card)) < low) await input.fill('0')
}

/** Answers one card; returns whether it was typed (a measurement) rather than tapped. */
export async function answerCard(card: Locator): Promise<'tapped' | 'typed'> {
  const kind = await card.getAttribute('data-kind')
  const group = await card.getAttribute('data-group')
  if (kind === 'yesno')
    await card.getByTestId(group === 'section' ? 'answer-yes' : 'answer-no').click()
  else if (kind === 'scale') await card.locator('[data-testid^=scale-]').last().click()
  else if (kind === 'count') await card.getByTestId('count-none').click()
  else {
    await bestMeasure(card)
    return 'typed'
  }
  return 'tapped'
}

/**
 * Walks the whole form by taps. `onCard` sees each card the form moved to before it is answered
 * (e.g. to check it is on screen).
 */
export async function answerByTaps(
  page: Page,
  onCard?: (card: Locator) => Promise<void>,
): Promise<TapRun> {
  let taps = 0
  let typed = 0
  const t0 = Date.now()
  for (let guard = 0; guard < 400; guard++) {
    if ((await page.getByTestId('next-unanswered').count()) === 0)
      return { taps, typed, ms: Date.now() - t0 }
    const id = await page.evaluate(
      () =>
        document.activeElement?.closest('[data-testid=item-card]')?.getAttribute('data-item') ??
        null,
    )
    if (!id) {
      // No card holds the focus yet: ask for the next one.
      await page.getByTestId('next-unanswered').click()
      taps++
      continue
    }
    const card = page.locator(`[data-testid=item-card][data-item="${id}"]`)
    await onCard?.(card)
    if ((await answerCard(card)) === 'typed') {
      // The form waits for a tap on "next unanswered" after a typed measurement.
      typed++
      await page.getByTestId('next-unanswered').click()
    }
    taps++
  }
  throw new Error('the form did not finish within 400 steps')
}
