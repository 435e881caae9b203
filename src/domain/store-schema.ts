/**
 * Zod schemas of a store's level and type, shared by the rubric, policy and bundle formats so
 * the three accept exactly the same values (StoreLevel, StoreType in types.ts).
 */
import { z } from 'zod'

export const storeLevelSchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)])
export const storeTypeSchema = z.enum(['self', 'partner'])
