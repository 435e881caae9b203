/**
 * Optional per-device signatures (ECDSA P-256, SHA-256, WebCrypto). The device signs the
 * manifest, which holds the SHA-256 of every other part, so one signature covers the whole
 * bundle. The manifest carries the public key (JWK); who may be trusted is decided by the
 * importer (first-seen per device id, see exchange.repo) — a signature alone proves only that
 * the bundle is unchanged since the holder of that key made it.
 */
import { canonical } from '../../domain/merge'
import { refuse, type Manifest } from './format'
import { sha256Hex } from './hash'

export interface DeviceKey {
  /** Non-extractable: the private key never leaves this browser's key store. */
  privateKey: CryptoKey
  publicJwk: JsonWebKey
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const
const encoder = new TextEncoder()

export async function generateDeviceKey(): Promise<DeviceKey> {
  const pair = await crypto.subtle.generateKey(ALG, false, ['sign', 'verify'])
  const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey)
  return {
    privateKey: pair.privateKey,
    publicJwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
  }
}

function signedBytes(manifest: Manifest): Uint8Array<ArrayBuffer> {
  const rest = Object.fromEntries(Object.entries(manifest).filter(([k]) => k !== 'signature'))
  return encoder.encode(canonical(rest))
}

function b64(bytes: ArrayBuffer): string {
  let s = ''
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b)
  return btoa(s)
}

function unb64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/** A short, stable name for a public key, shown to users and kept in the trust list. */
export async function keyFingerprint(jwk: Record<string, unknown>): Promise<string> {
  return (
    await sha256Hex(encoder.encode(`${String(jwk.crv)}:${String(jwk.x)}:${String(jwk.y)}`))
  ).slice(0, 16)
}

export function signerFor(
  key: DeviceKey,
): (unsigned: Manifest) => Promise<NonNullable<Manifest['signature']>> {
  return async (unsigned) => {
    const sig = await crypto.subtle.sign(SIGN, key.privateKey, signedBytes(unsigned))
    return { alg: 'ECDSA-P256-SHA256', publicKey: { ...key.publicJwk }, value: b64(sig) }
  }
}

/** null for an unsigned bundle; the key's fingerprint for a valid signature; refuses a bad one. */
export async function verifyManifest(manifest: Manifest): Promise<{ fingerprint: string } | null> {
  const s = manifest.signature
  if (!s) return null
  let ok = false
  try {
    const { kty, crv, x, y } = s.publicKey as JsonWebKey
    const key = await crypto.subtle.importKey('jwk', { kty, crv, x, y }, ALG, true, ['verify'])
    ok = await crypto.subtle.verify(SIGN, key, unb64(s.value), signedBytes(manifest))
  } catch {
    refuse('bad-signature', { message: 'unreadable key or signature' })
  }
  if (!ok) refuse('bad-signature', { message: 'the manifest does not match its signature' })
  return { fingerprint: await keyFingerprint(s.publicKey) }
}
