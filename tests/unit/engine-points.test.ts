import { describe, expect, it } from 'vitest'
import {
  floorDiv,
  fromCenti,
  mulDivHalfUp,
  parseCenti,
  roundHalfUp,
  sumCenti,
  toCenti,
  toCentiRounded,
} from '../../src/domain/points'

describe('toCenti', () => {
  it('converts two-decimal values exactly, including ones floats store inexactly', () => {
    expect(toCenti(89.95)).toBe(8995)
    expect(toCenti(0.07)).toBe(7)
    expect(toCenti(1.005 + 0.005)).toBe(101)
    expect(toCenti(100)).toBe(10000)
    expect(toCenti(-3.5)).toBe(-350)
  })
  it('refuses a third decimal (89.999) instead of rounding it across a grade boundary', () => {
    expect(() => toCenti(89.999)).toThrow(RangeError)
    expect(() => toCenti(Number.NaN)).toThrow(RangeError)
    expect(() => toCenti(Infinity)).toThrow(RangeError)
  })
  it('makes 89.95 + 0.05 exactly 90.00', () => {
    // Floats drift on other sums (0.1 + 0.2 !== 0.3); Centi sums never do.
    expect(toCenti(0.1) + toCenti(0.2)).toBe(toCenti(0.3))
    expect(toCenti(89.95) + toCenti(0.05)).toBe(9000)
    expect(fromCenti(toCenti(89.95) + toCenti(0.05))).toBe(90)
  })
})

describe('toCentiRounded', () => {
  it('rounds half up on the decimal value', () => {
    expect(toCentiRounded(1.005)).toBe(101)
    expect(toCentiRounded(89.994)).toBe(8999)
    expect(toCentiRounded(89.995)).toBe(9000)
    expect(toCentiRounded(89.999)).toBe(9000)
    expect(toCentiRounded(1e-7)).toBe(0)
  })
})

describe('parseCenti', () => {
  it('parses decimal text exactly and rejects more than two places', () => {
    expect(parseCenti('89.95')).toBe(8995)
    expect(parseCenti(' 90 ')).toBe(9000)
    expect(parseCenti('0.5')).toBe(50)
    expect(parseCenti('-1.25')).toBe(-125)
    expect(parseCenti('89.999')).toBeNull()
    expect(parseCenti('abc')).toBeNull()
    expect(parseCenti('')).toBeNull()
  })
})

describe('integer division helpers', () => {
  it('roundHalfUp rounds halves towards +infinity', () => {
    expect(roundHalfUp(1, 2)).toBe(1)
    expect(roundHalfUp(3, 2)).toBe(2)
    expect(roundHalfUp(5, 4)).toBe(1)
    expect(roundHalfUp(7, 4)).toBe(2)
    expect(roundHalfUp(-1, 2)).toBe(0)
    expect(roundHalfUp(-3, 2)).toBe(-1)
    expect(roundHalfUp(1, -2)).toBe(0)
    expect(() => roundHalfUp(1, 0)).toThrow(RangeError)
  })
  it('floorDiv is exact for negative operands', () => {
    expect(floorDiv(7, 2)).toBe(3)
    expect(floorDiv(-7, 2)).toBe(-4)
    expect(floorDiv(7, -2)).toBe(-4)
    expect(floorDiv(-7, -2)).toBe(3)
    expect(floorDiv(9_007_199_254_740_991, 1)).toBe(9_007_199_254_740_991)
  })
  it('mulDivHalfUp stays exact beyond 2^53', () => {
    expect(mulDivHalfUp(3, 5, 2)).toBe(8)
    // 2^40 × 2^20 / 2^21 = 2^39 (+ nothing to round)
    expect(mulDivHalfUp(2 ** 40, 2 ** 20 + 1, 2 ** 21)).toBe(
      Math.floor((2 ** 40 * (2 ** 20 + 1)) / 2 ** 21 + 0.5),
    )
  })
  it('sumCenti adds integers', () => {
    expect(sumCenti([8995, 5])).toBe(9000)
    expect(sumCenti([])).toBe(0)
  })
})
