/**
 * Photos from the tablet camera or a file, re-encoded in the browser before they are stored:
 * - a sensible size (JPEG, long edge ≤ 1600 px, quality 0.8) so hundreds fit in the quota;
 * - re-encoding drops EXIF, including the GPS location, which must not leave the device;
 *   the capture time is kept as a field instead (the file's lastModified);
 * - bytes plus MIME type, not a Blob: Blobs in IndexedDB fail on some Safari versions.
 * Browser only (createImageBitmap, OffscreenCanvas or <canvas>).
 */
import { sniffPhoto } from '@/domain/image-type'
import type { EncodedPhoto } from '@/domain/records'

export const PHOTO_MAX_EDGE = 1600
export const THUMB_MAX_EDGE = 240
export const PHOTO_QUALITY = 0.8
const MIME = 'image/jpeg'

export class PhotoDecodeError extends Error {
  override name = 'PhotoDecodeError'
  constructor(fileName: string, cause?: unknown) {
    super(`Could not read ${fileName} as a picture.`, { cause })
  }
}

/** The size that fits `maxEdge` on the long side, never enlarging. */
export function fitWithin(
  width: number,
  height: number,
  maxEdge: number,
): { width: number; height: number } {
  const scale = Math.min(1, maxEdge / Math.max(width, height))
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  }
}

async function drawToJpeg(
  bitmap: ImageBitmap,
  width: number,
  height: number,
  quality: number,
): Promise<ArrayBuffer> {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height)
    const ctx = canvas.getContext('2d')
    if (!ctx) throw new Error('no 2d context')
    ctx.drawImage(bitmap, 0, 0, width, height)
    const blob = await canvas.convertToBlob({ type: MIME, quality })
    return blob.arrayBuffer()
  }
  // Safari before 16.4 has no OffscreenCanvas 2d context.
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  const ctx = canvas.getContext('2d')
  if (!ctx) throw new Error('no 2d context')
  ctx.drawImage(bitmap, 0, 0, width, height)
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, MIME, quality))
  if (!blob) throw new Error('canvas.toBlob gave nothing')
  return blob.arrayBuffer()
}

/** Re-encodes a picture file into a stored photo and its thumbnail. */
export async function encodePhoto(file: File): Promise<EncodedPhoto> {
  let bitmap: ImageBitmap
  try {
    // 'from-image' applies the EXIF orientation before the EXIF is dropped, so portraits stay upright.
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' })
  } catch (e) {
    throw new PhotoDecodeError(file.name, e)
  }
  try {
    const full = fitWithin(bitmap.width, bitmap.height, PHOTO_MAX_EDGE)
    const thumb = fitWithin(bitmap.width, bitmap.height, THUMB_MAX_EDGE)
    const bytes = await drawToJpeg(bitmap, full.width, full.height, PHOTO_QUALITY)
    const thumbBytes = await drawToJpeg(bitmap, thumb.width, thumb.height, 0.7)
    return {
      bytes,
      mime: MIME,
      width: full.width,
      height: full.height,
      thumbBytes,
      thumbMime: MIME,
      capturedAt: new Date(file.lastModified || Date.now()).toISOString(),
    }
  } finally {
    bitmap.close()
  }
}

/**
 * An object URL to show stored bytes in an <img>. The caller revokes it (URL.revokeObjectURL)
 * when the image leaves the screen, or the bytes stay in memory. The Blob's type is what the
 * bytes are (JPEG, PNG or WebP), never the stored `mime`: bytes that are no image get no URL
 * (an empty string), so nothing stored can open as a page in the app's origin.
 */
export function photoUrl(bytes: ArrayBuffer): string {
  const type = sniffPhoto(new Uint8Array(bytes))
  return type ? URL.createObjectURL(new Blob([bytes], { type })) : ''
}
