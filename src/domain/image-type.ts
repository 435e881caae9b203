/**
 * What a stored photo may be: JPEG, PNG or WebP, judged by the file's first bytes, never by the
 * type a file or a client declares. Anything else (HTML, SVG, PDF…) could run or phish in the
 * app's origin when shown, so it is refused on import, in bundles, backups and on the server.
 */
export const PHOTO_MIMES = ['image/jpeg', 'image/png', 'image/webp'] as const
export type PhotoMime = (typeof PHOTO_MIMES)[number]

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const at = (bytes: Uint8Array, offset: number, sig: readonly number[]) =>
  bytes.length >= offset + sig.length && sig.every((b, i) => bytes[offset + i] === b)
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0))

/** The image type the bytes really are, or null when they are none of the three. */
export function sniffPhoto(bytes: Uint8Array): PhotoMime | null {
  if (at(bytes, 0, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (at(bytes, 0, PNG)) return 'image/png'
  if (at(bytes, 0, ascii('RIFF')) && at(bytes, 8, ascii('WEBP'))) return 'image/webp'
  return null
}

export function isPhotoMime(mime: string): mime is PhotoMime {
  return (PHOTO_MIMES as readonly string[]).includes(mime)
}
