import { effectScope } from 'vue'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { UNDO_MS, usePhotoUndo } from '../../src/composables/usePhotoUndo'

afterEach(() => vi.useRealTimers())

describe('deleting a photo with undo', () => {
  it('hides the photo at once, removes it only after the undo window, and undo keeps it', async () => {
    vi.useFakeTimers()
    const removed: string[] = []
    const scope = effectScope()
    const u = scope.run(() => usePhotoUndo(async (_item, id) => void removed.push(id)))!
    await u.request('clean', 'p1')
    expect(u.hidden('p1')).toBe(true)
    u.undo()
    expect(u.hidden('p1')).toBe(false)
    await vi.advanceTimersByTimeAsync(UNDO_MS + 10)
    expect(removed).toEqual([])

    await u.request('clean', 'p2')
    await vi.advanceTimersByTimeAsync(UNDO_MS - 100)
    expect(removed).toEqual([])
    // A second delete makes the first final straight away.
    await u.request('clean', 'p3')
    expect(removed).toEqual(['p2'])
    // Leaving the form makes the pending one final too.
    scope.stop()
    await Promise.resolve()
    expect(removed).toEqual(['p2', 'p3'])
  })
})
