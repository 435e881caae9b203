import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { nextTick } from 'vue'
import type { Photo } from '@/domain/records'
import PhotoThumb from '@/components/stores/PhotoThumb.vue'

const photo = (id: string): Photo => ({
  id,
  evaluationId: 'e1',
  itemId: 'i1',
  bytes: new Uint8Array([1, 2, 3]).buffer,
  mime: 'image/jpeg',
  width: 4,
  height: 3,
  thumbBytes: new Uint8Array([4, 5]).buffer,
  thumbMime: 'image/webp',
  capturedAt: '2026-01-01T00:00:00Z',
})

describe('PhotoThumb object URLs', () => {
  afterEach(() => vi.restoreAllMocks())

  it('shows the thumbnail, makes the full-size URL on click only, and revokes both when it goes', async () => {
    let n = 0
    const made: { url: string; type: string }[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      const url = `blob:test/${n++}`
      made.push({ url, type: (b as Blob).type })
      return url
    })
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    const open = vi.spyOn(window, 'open').mockImplementation(() => null)

    const w = mount(PhotoThumb, { props: { photo: photo('p1'), alt: 'x' } })
    expect(w.find('img').attributes('src')).toBe('blob:test/0')
    expect(made).toEqual([{ url: 'blob:test/0', type: 'image/webp' }])

    await w.find('button').trigger('click')
    await w.find('button').trigger('click')
    expect(made).toHaveLength(2)
    expect(made[1]!.type).toBe('image/jpeg')
    expect(open).toHaveBeenCalledTimes(2)
    expect(open).toHaveBeenLastCalledWith('blob:test/1', '_blank', 'noopener')

    await w.setProps({ photo: photo('p2') })
    await nextTick()
    expect(revoke.mock.calls.map((c) => c[0]).sort()).toEqual(['blob:test/0', 'blob:test/1'])
    expect(w.find('img').attributes('src')).toBe('blob:test/2')

    w.unmount()
    expect(revoke).toHaveBeenLastCalledWith('blob:test/2')
  })
})
