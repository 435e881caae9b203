/** Backups: placeholder replaced below. */
import type { Context } from './context'
export async function backup(_ctx: Context, _file: string): Promise<void> {
  throw new Error('not yet')
}
export async function restore(_cfg: unknown, _file: string): Promise<void> {
  throw new Error('not yet')
}
