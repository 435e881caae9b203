/**
 * Checks a store entered by hand, field by field, so the form can show each message next to
 * its field. Pure: the codes already in the register come in as an argument.
 */
import { isStoreCode, normalizeStoreCode, STORE_CODE_MAX, storeCodeKey } from './store-code'
import { cleanText } from './text-clean'
import type { Store, StoreLevel, StoreType } from './types'

/** What the form holds: text inputs, level and type possibly not chosen yet. */
export interface StoreDraft {
  code: string
  name: string
  province: string
  city: string
  district: string
  level: number | null
  type: StoreType | ''
  address: string
  openingHours: string
}

export type StoreFieldError =
  | { code: 'required' }
  | { code: 'codeTaken'; value: string }
  | { code: 'codeFormat' }
  | { code: 'level' }
  | { code: 'type' }
  | { code: 'tooLong'; max: number }

export type StoreDraftErrors = Partial<Record<keyof StoreDraft, StoreFieldError>>

/**
 * Longest accepted value per field, in characters. The file import (src/io/store-import.ts)
 * uses the same table, so a store saved by hand can be exported and re-imported.
 */
export const STORE_FIELD_MAX: Readonly<Record<keyof StoreDraft, number>> = {
  code: STORE_CODE_MAX,
  name: 200,
  province: 50,
  city: 50,
  district: 50,
  level: 20,
  type: 20,
  address: 500,
  openingHours: 100,
}

/** A field as it will be saved: invisible and bidi control characters out, trimmed. */
const clean = (v: string): string => cleanText(v).text

export function emptyDraft(): StoreDraft {
  return {
    code: '',
    name: '',
    province: '',
    city: '',
    district: '',
    level: null,
    type: '',
    address: '',
    openingHours: '',
  }
}

export function draftFromStore(s: Store): StoreDraft {
  return {
    code: s.code,
    name: s.name,
    province: s.province,
    city: s.city,
    district: s.district ?? '',
    level: s.level,
    type: s.type,
    address: s.address ?? '',
    openingHours: s.openingHours ?? '',
  }
}

/**
 * `takenCodes`: codes of other stores. When editing, the store's own code is left out by the
 * caller (and the code cannot change anyway).
 */
export function validateStoreDraft(
  d: StoreDraft,
  takenCodes: ReadonlySet<string>,
): StoreDraftErrors {
  const errors: StoreDraftErrors = {}
  const text = (
    f: 'code' | 'name' | 'province' | 'city' | 'district' | 'address' | 'openingHours',
    required: boolean,
  ) => {
    const v = f === 'code' ? normalizeStoreCode(d[f]) : clean(d[f])
    if (required && v === '') errors[f] = { code: 'required' }
    else if (v.length > STORE_FIELD_MAX[f]) errors[f] = { code: 'tooLong', max: STORE_FIELD_MAX[f] }
  }
  text('code', true)
  text('name', true)
  text('province', true)
  text('city', true)
  text('district', false)
  text('address', false)
  text('openingHours', false)
  const code = normalizeStoreCode(d.code)
  if (!errors.code) {
    const taken = new Map([...takenCodes].map((c) => [storeCodeKey(c), c]))
    const had = taken.get(storeCodeKey(code))
    if (!isStoreCode(code)) errors.code = { code: 'codeFormat' }
    else if (had !== undefined) errors.code = { code: 'codeTaken', value: had }
  }
  if (d.level === null || ![1, 2, 3, 4].includes(d.level)) errors.level = { code: 'level' }
  if (d.type !== 'self' && d.type !== 'partner') errors.type = { code: 'type' }
  return errors
}

/** The store to save; only call when `validateStoreDraft` found nothing. */
export function storeFromDraft(d: StoreDraft): Store {
  const s: Store = {
    code: normalizeStoreCode(d.code),
    name: clean(d.name),
    province: clean(d.province),
    city: clean(d.city),
    level: d.level as StoreLevel,
    type: d.type as StoreType,
  }
  if (clean(d.district)) s.district = clean(d.district)
  if (clean(d.address)) s.address = clean(d.address)
  if (clean(d.openingHours)) s.openingHours = clean(d.openingHours)
  return s
}
