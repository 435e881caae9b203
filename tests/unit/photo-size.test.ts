import { describe, expect, it } from 'vitest'
import { fitWithin, PHOTO_MAX_EDGE, THUMB_MAX_EDGE } from '../../src/io/photo'

describe('fitWithin', () => {
  it('scales the long edge down to the limit, keeping the aspect ratio', () => {
    expect(fitWithin(4032, 3024, PHOTO_MAX_EDGE)).toEqual({ width: 1600, height: 1200 })
    expect(fitWithin(3024, 4032, PHOTO_MAX_EDGE)).toEqual({ width: 1200, height: 1600 })
    expect(fitWithin(4000, 3000, THUMB_MAX_EDGE)).toEqual({ width: 240, height: 180 })
  })

  it('never enlarges and never gives a zero side', () => {
    expect(fitWithin(800, 600, PHOTO_MAX_EDGE)).toEqual({ width: 800, height: 600 })
    expect(fitWithin(10000, 5, THUMB_MAX_EDGE)).toEqual({ width: 240, height: 1 })
  })
})
