/**
 * This device's signing key and the signing devices it has seen (trust on first use; the rule
 * is in domain/exchange-rules.ts).
 */
import { generateDeviceKey, type DeviceKey, type OpenBundle } from '@/io/bundle'
import { signerTrust, trustAfterImport, type SignerTrust } from '@/domain/exchange-rules'
import { trustProblem, type TrustProblem } from '@/domain/bundle-checks'
import type { AppDatabase, MetaKey } from '../rows'
import { createMetaRepo } from '../meta.repo'

export const TRUSTED_DEVICES_KEY = 'trustedDevices' satisfies MetaKey
export const DEVICE_KEY = 'deviceKey' satisfies MetaKey

export type { SignerTrust } from '@/domain/exchange-rules'
export type { TrustProblem } from '@/domain/bundle-checks'

/** The import was not applied: the file's signature contradicts its sender's pinned key. */
export class UntrustedBundleError extends Error {
  override name = 'UntrustedBundleError'
  constructor(readonly problem: TrustProblem) {
    super(`bundle from ${problem.deviceId} refused: ${problem.kind}`)
  }
}

export interface SignerInfo {
  deviceId: string
  fingerprint: string
  trust: SignerTrust
}

export function createTrustRepo(db: AppDatabase) {
  const meta = createMetaRepo(db)

  async function trusted(): Promise<Record<string, string>> {
    return (await meta.get(TRUSTED_DEVICES_KEY)) ?? {}
  }

  return {
    /** This device's signing key, made on first use (non-extractable private key). */
    async deviceKey(): Promise<DeviceKey> {
      const row = await meta.get(DEVICE_KEY)
      if (row?.privateKey) return row
      const key = await generateDeviceKey()
      await db.meta.put({ key: DEVICE_KEY, value: key })
      return key
    },

    /** Who signed the bundle, and whether that device was seen before with the same key. */
    async signerOf(bundle: OpenBundle): Promise<SignerInfo | null> {
      if (!bundle.signer) return null
      const deviceId = bundle.manifest.exportedBy.deviceId
      const fingerprint = bundle.signer.fingerprint
      return { deviceId, fingerprint, trust: signerTrust(await trusted(), deviceId, fingerprint) }
    },

    /**
     * Whether the file's signature contradicts what this device learnt of its sender: a device
     * id that signed before arriving unsigned, or signed with another key (null: no problem).
     */
    async problemOf(bundle: OpenBundle): Promise<TrustProblem | null> {
      return trustProblem(
        await trusted(),
        bundle.manifest.exportedBy.deviceId,
        bundle.signer?.fingerprint,
      )
    },

    /** Records the bundle's signer after an import (inside the import's transaction). */
    async recordImport(bundle: OpenBundle): Promise<void> {
      const trust = trustAfterImport(
        await trusted(),
        bundle.manifest.exportedBy.deviceId,
        bundle.signer?.fingerprint,
      )
      if (trust) await db.meta.put({ key: TRUSTED_DEVICES_KEY, value: trust })
    },
  }
}
