/**
 * What the exchange and backup stores share: a file being produced gathered into a Blob in
 * slices (the browser may keep large Blobs on disk), not in one growing array, and the rubric
 * lookup a bundle is written or read with.
 */
import type { ChunkSink, Manifest } from '@/io/bundle'
import { useRubricStore } from './rubrics'

export interface MadeFile {
  name: string
  url: string
  manifest: Manifest
}

/** Collects zip chunks into a Blob, folding them in every few MB so no big array builds up. */
export function blobSink(): { sink: ChunkSink; blob: () => Blob } {
  let parts: BlobPart[] = []
  let pending: Uint8Array[] = []
  let pendingBytes = 0
  const fold = () => {
    parts = [new Blob([...parts, ...(pending as BlobPart[])])]
    pending = []
    pendingBytes = 0
  }
  return {
    sink: (chunk) => {
      pending.push(chunk)
      pendingBytes += chunk.byteLength
      if (pendingBytes > 8 * 1024 * 1024) fold()
    },
    blob: () => {
      fold()
      return new Blob(parts, { type: 'application/zip' })
    },
  }
}

export function stamp(iso: string): string {
  return iso.replace(/[-:]/g, '').slice(0, 13)
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

/** Frees the object URL of a file made before (a new one replaces it). */
export function replaceUrl(old: MadeFile | null): void {
  if (old) URL.revokeObjectURL(old.url)
}

/** The shipped rubrics, loaded, as the lookup the repositories take. */
export async function shipped() {
  const rubrics = useRubricStore()
  await rubrics.load()
  return (id: string, version: string) => rubrics.get(id, version)
}
