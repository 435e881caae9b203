import { describe, expect, it } from 'vitest'
import { generateDemo } from '../../src/demo/generate'
import { sniffPhoto } from '../../src/domain/image-type'
import { groupRubric } from '../helpers/db-fixtures'

const bytes = (...b: number[]) => new Uint8Array(b)
const text = (s: string) => new TextEncoder().encode(s)

describe('photos are images by their first bytes', () => {
  it('knows JPEG, PNG and WebP', () => {
    expect(sniffPhoto(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10))).toBe('image/jpeg')
    expect(sniffPhoto(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png')
    expect(sniffPhoto(text('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '))).toBe('image/webp')
  })

  it('refuses markup, SVG, PDF, truncated signatures and RIFF that is not WebP', () => {
    for (const s of [
      '<html>',
      '<svg xmlns="http://www.w3.org/2000/svg"/>',
      '%PDF-1.7',
      'RIFF....WAVE',
    ])
      expect(sniffPhoto(text(s))).toBeNull()
    expect(sniffPhoto(bytes(0xff, 0xd8))).toBeNull()
    expect(sniffPhoto(bytes(0x89, 0x50, 0x4e, 0x47))).toBeNull()
    expect(sniffPhoto(new Uint8Array(0))).toBeNull()
  })

  it('the demo photos are real PNGs', () => {
    const demo = generateDemo(groupRubric())
    expect(demo.photos.length).toBeGreaterThan(0)
    for (const p of demo.photos) {
      expect(p.mime).toBe('image/png')
      expect(sniffPhoto(new Uint8Array(p.bytes))).toBe('image/png')
      expect(sniffPhoto(new Uint8Array(p.thumbBytes))).toBe('image/png')
    }
  })
})
