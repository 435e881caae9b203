/**
 * Fault: the browser is killed (SIGKILL to its whole process group, as when the tablet's OS
 * kills it or the battery dies) in the middle of a burst of answers. After a restart on the same
 * profile, every answer the form had shown as saved must be there, and the evaluation opens.
 *
 * "Acknowledged" is what the user sees: the save indicator (data-testid=save-state) turning to
 * `saved`. A MutationObserver in the page records, at each such moment, the answers the cards
 * show, and hands them to the test through a binding; the test never reads the app's memory.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { openSession, removeProfile, type Session } from './support/browser'
import {
  browserPid,
  cardsShown,
  liveInGroup,
  loadDemo,
  readTable,
  startInspection,
  waitSaved,
} from './support/faults'

type Shown = Awaited<ReturnType<typeof cardsShown>>

describe('killing the browser during a burst of answer saves', () => {
  const sessions: Session[] = []
  let profileDir = ''
  afterAll(async () => {
    for (const s of sessions) await s.close().catch(() => undefined)
    if (profileDir) removeProfile(profileDir)
  })

  it('keeps every answer shown as saved, and the evaluation opens after a restart', async () => {
    const first = await openSession({ autoAdvance: false })
    sessions.push(first)
    profileDir = first.profileDir
    const { page } = first
    await loadDemo(page)
    const id = await startInspection(page)
    const url = page.url().split('?')[0]!

    // Every "saved" the user could see, with the answers on screen at that moment.
    const acks: Shown[] = []
    await page.exposeBinding('__e2eAck', (_src, json: string) => {
      acks.push(JSON.parse(json) as Shown)
    })
    await page.evaluate(() => {
      const shown = () =>
        Object.fromEntries(
          [...document.querySelectorAll('[data-testid=item-card]')].map((c) => [
            c.getAttribute('data-item')!,
            {
              pressed: [...c.querySelectorAll('[aria-pressed=true]')].map(
                (b) => b.getAttribute('data-testid') ?? '',
              ),
              note: (c.querySelector('textarea') as HTMLTextAreaElement | null)?.value ?? '',
              photos: c.querySelectorAll('[data-testid=photo-thumb]').length,
            },
          ]),
        )
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid=save-state]')
        if (el?.getAttribute('data-state') === 'saved')
          (window as unknown as { __e2eAck(j: string): void }).__e2eAck(JSON.stringify(shown()))
      }).observe(document.body, {
        subtree: true,
        attributes: true,
        attributeFilter: ['data-state'],
      })
    })

    // The burst: answer the yes/no items of the step one after another at a brisk tap pace,
    // typing a note on each, with no pause for "saved".
    const cards = page.locator('[data-testid=item-card][data-kind=yesno]')
    const n = await cards.count()
    expect(n).toBeGreaterThanOrEqual(4)
    const changes: { item: string; answer: string; note: string }[] = []
    const pid = browserPid(profileDir)
    let killedAfter = -1
    for (let i = 0; i < n; i++) {
      const card = cards.nth(i)
      const item = (await card.getAttribute('data-item'))!
      const answer = i % 2 ? 'answer-no' : 'answer-yes'
      const note = `现场记录 ${i}`
      await card.getByTestId(answer).click()
      // A met item keeps its note box closed until asked.
      if (answer === 'answer-yes') await card.getByTestId('open-evidence').click()
      await card.getByTestId('item-note').pressSequentially(note, { delay: 5 })
      changes.push({ item, answer, note })
      // Kill once some answers were acknowledged and more are still coming, right after a
      // keystroke (so a write is in flight), without waiting for anything.
      if (i >= n / 2 && acks.some((a) => Object.values(a).some((c) => c.pressed.length > 0))) {
        process.kill(-pid, 'SIGKILL')
        killedAfter = i
        break
      }
    }
    expect(killedAfter, 'no answer was acknowledged during the burst').toBeGreaterThan(0)
    // Really gone: no process of the browser's group survives (zombies are not processes).
    await expect.poll(() => liveInGroup(pid), { timeout: 10_000 }).toEqual([])
    expect(killedAfter).toBeLessThan(n - 1)

    // The last acknowledgement the test holds: what the user was told is saved.
    const acked = acks.at(-1)!
    const ackedItems = Object.entries(acked).filter(([, c]) => c.pressed.length > 0)
    expect(ackedItems.length).toBeGreaterThan(0)
    // Each item was answered once, so an acknowledged answer can only stay as it was; a note
    // grows by typing, so it holds at least what was acknowledged, at most what was typed.
    for (const [item, c] of ackedItems) {
      const change = changes.find((x) => x.item === item)!
      expect(c.pressed).toEqual([change.answer])
      expect(change.note.startsWith(c.note)).toBe(true)
    }

    // Restart on the same profile.
    const second = await openSession({ profileDir, autoAdvance: false })
    sessions.push(second)
    const again = second.page
    await again.goto(url)
    await expect.poll(() => again.getByTestId('item-card').count()).toBeGreaterThan(0)
    expect(await again.getByTestId('load-error').count()).toBe(0)
    const after = await cardsShown(again)
    for (const [item, c] of ackedItems) {
      expect(after[item]!.pressed).toEqual(c.pressed)
      expect(after[item]!.note.startsWith(c.note)).toBe(true)
      const change = changes.find((x) => x.item === item)!
      expect(change.note.startsWith(after[item]!.note)).toBe(true)
    }
    // Nothing appears that was never entered.
    for (const [item, c] of Object.entries(after)) {
      if (c.pressed.length === 0) continue
      expect(changes.find((x) => x.item === item)?.answer).toBe(c.pressed[0])
    }
    // The database agrees with the screen (read only to verify).
    const row = (await readTable(again, 'evaluations')).find((e) => e.id === id)!
    const answers = row.answers as Record<string, { value?: boolean; note?: string }>
    for (const [item, c] of ackedItems) {
      expect(answers[item]?.value).toBe(c.pressed[0] === 'answer-yes')
      expect((answers[item]?.note ?? '').startsWith(c.note)).toBe(true)
    }

    // And the inspection goes on: the rest of the step can be answered and is saved.
    const rest = again.locator('[data-testid=item-card][data-kind=yesno]')
    for (let i = 0; i < (await rest.count()); i++) {
      const card = rest.nth(i)
      if ((await card.locator('[aria-pressed=true]').count()) === 0)
        await card.getByTestId('answer-yes').click()
    }
    await waitSaved(again)
    console.info(
      `crash: ${changes.length}/${n} items touched before the kill, ${acks.length} acknowledgements, ` +
        `${ackedItems.length} answers acknowledged, ` +
        `${Object.values(after).filter((c) => c.pressed.length > 0).length} answers found after restart; ` +
        `last note: ${acked[changes.at(-1)!.item]?.note.length ?? 0} chars acknowledged, ` +
        `${after[changes.at(-1)!.item]?.note.length ?? 0} found, ${changes.at(-1)!.note.length} typed`,
    )
  })
})
