import { inject, type InjectionKey } from 'vue'

export type Clock = () => Date

/** Provide a fixed clock here in tests (and screenshots) to pin "now". */
export const CLOCK_KEY: InjectionKey<Clock> = Symbol('clock')

export function useClock(): Clock {
  return inject(CLOCK_KEY, () => new Date())
}
