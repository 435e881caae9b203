import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { nextTick } from 'vue'
import type { Photo } from '@/domain/records'
import PhotoThumb from '@/components/stores/PhotoThumb.vue'
import { i18n } from '@/i18n'

const photo = (id: string): Photo => ({
  id,
  evaluationId: 'e1',
  itemId: 'i1',
  bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0]).buffer,
  mime: 'image/jpeg',
  width: 4,
  height: 3,
  thumbBytes: new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ').buffer,
  thumbMime: 'image/webp',
  capturedAt: '2026-01-01T00:00:00Z',
})

describe('PhotoThumb and bytes that are no image', () => {
  afterEach(() => vi.restoreAllMocks())

  it('makes no object URL for HTML bytes stored as a photo', async () => {
    const create = vi.spyOn(URL, 'createObjectURL')
    const html = new TextEncoder().encode('<html><form><input name=pw></form>').buffer
    const w = mount(PhotoThumb, {
      props: { photo: { ...photo('h1'), bytes: html, thumbBytes: html }, alt: 'x' },
      global: { plugins: [i18n] },
    })
    await w.find('button.thumb').trigger('click')
    expect(create).not.toHaveBeenCalled()
    expect(w.find('[data-testid="photo-viewer"] img').exists()).toBe(false)
  })
})

describe('PhotoThumb object URLs', () => {
  afterEach(() => vi.restoreAllMocks())

  it('shows the thumbnail, makes the full-size URL on click only (in the app viewer), and revokes both when it goes', async () => {
    let n = 0
    const made: { url: string; type: string }[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      const url = `blob:test/${n++}`
      made.push({ url, type: (b as Blob).type })
      return url
    })
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    const open = vi.spyOn(window, 'open').mockImplementation(() => null)

    const w = mount(PhotoThumb, {
      props: { photo: photo('p1'), alt: 'x' },
      global: { plugins: [i18n] },
    })
    expect(w.find('img').attributes('src')).toBe('blob:test/0')
    expect(made).toEqual([{ url: 'blob:test/0', type: 'image/webp' }])

    await w.find('button.thumb').trigger('click')
    await w.find('button.thumb').trigger('click')
    expect(made).toHaveLength(2)
    expect(made[1]!.type).toBe('image/jpeg')
    // Never a page of its own: the full photo shows in the app's viewer.
    expect(open).not.toHaveBeenCalled()
    await nextTick()
    expect(w.find('[data-testid="photo-viewer"] img').attributes('src')).toBe('blob:test/1')

    await w.setProps({ photo: photo('p2') })
    await nextTick()
    expect(revoke.mock.calls.map((c) => c[0]).sort()).toEqual(['blob:test/0', 'blob:test/1'])
    expect(w.find('img').attributes('src')).toBe('blob:test/2')

    w.unmount()
    expect(revoke).toHaveBeenLastCalledWith('blob:test/2')
  })
})
