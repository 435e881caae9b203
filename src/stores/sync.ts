/**
 * The connection to a sync server (issue 13): sign-in, background sync and sign-out. Without a
 * session nothing here runs and the app is exactly the offline app it always was.
 *
 * Sync = push the outbox (records, then photos), then pull from the cursor, then fetch photos
 * the pulled answers name. It runs on start, when the window regains focus or the network, every
 * few minutes (every few seconds while a screen that watches the organisation is open: rankings,
 * certification, charts, submission status; their routes say `meta.live`), and on demand; a
 * failure retries with back-off (5 s doubling to 5 min) and never drops the outbox. A token the server no longer accepts stops the loop: the device says so and
 * keeps everything unsent (it can be exported as a bundle).
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { repos } from '@/db/repos'
import type { Dispute, Refusal, ServerSession } from '@/db/sync.repo'
// The client (zod schemas of the protocol) and the bundle export load only when needed: they stay
// out of the first page a device downloads (vite.config.ts firstLoadReport).
import type { ServerApi } from '@/io/server-api'
import {
  mayCertify,
  reviewersFor,
  stepPath,
  storePath,
  within,
  type CertifyStepName,
} from '@/protocol/access'
import type { Reviewer, Store } from '@/domain/types'
import { usePolicyStore } from './policy'

const client = () => import('@/io/server-api')

export type SyncErrorKind = 'offline' | 'unauthorized' | 'refused' | 'server'
export interface SyncError {
  kind: SyncErrorKind
  code: string
  message: string
}

const INTERVAL_MS = 2 * 60_000
/** While a live screen is open (issue 13: the province sees an inspection within seconds). */
const LIVE_INTERVAL_MS = 5_000
const BACKOFF_MIN_MS = 5_000
const BACKOFF_MAX_MS = 5 * 60_000

interface ApiErrorLike {
  name: 'ApiError'
  kind: SyncErrorKind
  code: string
  message: string
  details?: unknown
}
function isApiError(e: unknown): e is ApiErrorLike {
  return e instanceof Error && e.name === 'ApiError'
}

function asSyncError(e: unknown): SyncError {
  if (isApiError(e)) return { kind: e.kind, code: e.code, message: e.message }
  return { kind: 'server', code: 'client', message: e instanceof Error ? e.message : String(e) }
}

export const useSyncStore = defineStore('sync', () => {
  const session = shallowRef<ServerSession | null>(null)
  const ready = ref(false)
  const syncing = ref(false)
  const lastSyncAt = ref<string | null>(null)
  const waiting = ref(0)
  const problems = ref(0)
  /** Records from before the connection, held until the user chooses to upload them. */
  const held = ref(0)
  /** Records the server disputes, for the side-by-side screen (loaded after each sync). */
  const disputes = shallowRef<Dispute[]>([])
  /** Changes the server refused, with its reasons (they stay on the device). */
  const refusals = shallowRef<Refusal[]>([])
  const error = ref<SyncError | null>(null)
  /** Bumped after every pull that wrote something: screens reading the database reload. */
  const pulledTick = ref(0)
  let failures = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let listening = false
  let running: Promise<void> | null = null
  /** A live screen is open: pull every few seconds instead of every few minutes. */
  let live = false
  const nextDelay = () => (live ? LIVE_INTERVAL_MS : INTERVAL_MS)

  const connected = computed(() => session.value !== null)
  const revoked = computed(() => error.value?.kind === 'unauthorized')
  const user = computed(() => session.value?.user ?? null)

  const api = async (): Promise<ServerApi> =>
    (await client()).createServerApi(session.value!.url, session.value!.token)

  async function refreshCounts(): Promise<void> {
    const rows = await repos().outbox.list()
    waiting.value = rows.length
    held.value = rows.filter((r) => r.problem?.code === 'held').length
    problems.value = rows.filter((r) => r.problem && r.problem.code !== 'held').length
    disputes.value = problems.value > 0 ? await (await repos().sync()).disputes() : []
    refusals.value = problems.value > 0 ? await (await repos().sync()).refusals() : []
  }

  function schedule(ms: number): void {
    clearTimeout(timer)
    if (!session.value || revoked.value) return
    timer = setTimeout(() => void syncNow(), ms)
  }

  const onWake = () => {
    if (document.visibilityState !== 'hidden') void syncNow()
  }
  /** While connected: the waiting count follows local saves, and a save is pushed within seconds. */
  async function watchOutbox(): Promise<void> {
    if (!session.value) return
    await refreshCounts()
    const idle = !syncing.value && error.value === null && navigator.onLine
    if (idle && waiting.value > problems.value + held.value) void syncNow()
  }
  function listen(): void {
    if (listening || typeof window === 'undefined') return
    listening = true
    setInterval(() => void watchOutbox(), 3_000)
    window.addEventListener('online', onWake)
    window.addEventListener('focus', onWake)
    document.addEventListener('visibilitychange', onWake)
  }

  /** Loads the session at start and, if connected, syncs at once. */
  let initOnce: Promise<void> | null = null
  function init(): Promise<void> {
    initOnce ??= load()
    return initOnce
  }
  async function load(): Promise<void> {
    session.value = (await repos().meta.get('serverSession')) ?? null
    ready.value = true
    await refreshCounts()
    if (session.value) {
      await applyServerFiles(false)
      listen()
      void syncNow()
    }
  }

  /** The one province an account works in (its units' province), or null (group, or several). */
  function homeProvince(): string | null {
    const provinces = new Set(
      (session.value?.user.roles ?? []).flatMap((r) => {
        const p = r.unit.split('/')[1]
        return p === undefined ? [null] : [p]
      }),
    )
    return provinces.size === 1 ? ([...provinces][0] ?? null) : null
  }

  const filesStamp = async () =>
    (await (await repos().sync()).serverFiles())
      .map((f) => `${f.kind}:${f.id}:${f.version}`)
      .join('|')

  /**
   * Puts the server's files in force: the policy of the account's province (the same choice the
   * server scores with, domain/policy-in-force.ts) and, when rubric files changed, the rubric
   * registry. Read from the device, so it holds offline after one pull.
   */
  async function applyServerFiles(rubricsChanged: boolean): Promise<void> {
    const files = await (await repos().sync()).serverFiles()
    const policyFiles = files.filter((f) => f.kind === 'policy')
    const policy = usePolicyStore()
    if (policyFiles.length > 0) {
      const { parseRubricText } = await import('@/io/rubric-file')
      const published = policyFiles.flatMap((f) => {
        const p = parseRubricText(f.text)
        return p.ok && p.kind === 'policy' ? [{ unit: f.unit, policy: p.policy }] : []
      })
      policy.useServer(published, homeProvince())
    } else if (policy.source.kind === 'server') policy.reset()
    if (rubricsChanged) {
      const { useRubricStore } = await import('./rubrics')
      const rubrics = useRubricStore()
      if (rubrics.loaded) await rubrics.reload()
    }
  }

  async function pushAll(a: ServerApi, deviceId: string): Promise<void> {
    const sync = await repos().sync()
    let single = false
    for (;;) {
      const push = await sync.nextPush(single ? 1 : 100)
      if (!push) return
      try {
        const res = await a.push({ deviceId, seq: push.seq, changes: push.changes })
        await sync.settlePush(push, res.results)
      } catch (e) {
        if (!isApiError(e) || e.kind !== 'refused') throw e
        const details = e.details as { lastSeq?: number } | undefined
        if (e.code === 'sequence-behind' || e.code === 'sequence-used') {
          // Another copy of this device's database pushed meanwhile: take a fresh number.
          await sync.dropInflight(details?.lastSeq)
          continue
        }
        if (push.changes.length > 1) {
          // One record spoils the batch: send them one by one to find it, the rest goes through.
          await sync.dropInflight()
          single = true
          continue
        }
        await sync.refusePush(push, e.code, e.message)
      }
    }
  }

  async function pushPhotos(a: ServerApi): Promise<void> {
    const r = repos()
    for (const row of await (await r.sync()).photosToUpload()) {
      const p = await r.photos.get(row.id)
      try {
        if (p) await a.uploadPhoto(row.id, p.bytes, p.mime)
        await r.outbox.acknowledge([{ key: row.key, stamp: row.stamp }])
      } catch (e) {
        if (!isApiError(e) || e.kind !== 'refused') throw e
        await r.outbox.markProblem(row.key, row.stamp, { code: e.code, message: e.message })
      }
    }
  }

  async function pullAll(a: ServerApi): Promise<void> {
    const sync = await repos().sync()
    let cursor = await sync.cursor()
    const before = await filesStamp()
    let wrote = 0
    for (;;) {
      let page
      try {
        page = await a.pull(cursor)
      } catch (e) {
        if (isApiError(e) && e.code === 'cursor-too-old' && cursor !== 0) {
          cursor = 0
          continue
        }
        throw e
      }
      wrote += await sync.applyPulled(page.changes, page.cursor)
      cursor = page.cursor
      if (!page.more) break
    }
    for (const w of await sync.wantedPhotos()) {
      const got = await a.getPhoto(w.id)
      await sync.storeFetchedPhoto(w, got?.bytes ?? null, got?.mime ?? '')
      if (got) wrote++
    }
    const after = await filesStamp()
    if (after !== before) await applyServerFiles(true)
    if (wrote > 0) pulledTick.value++
  }

  async function runOnce(): Promise<void> {
    if (!session.value) return
    syncing.value = true
    try {
      const a = await api()
      const deviceId = await repos().meta.deviceId()
      await pushAll(a, deviceId)
      await pushPhotos(a)
      await pullAll(a)
      lastSyncAt.value = new Date().toISOString()
      error.value = null
      failures = 0
      schedule(nextDelay())
    } catch (e) {
      error.value = asSyncError(e)
      failures++
      schedule(Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (failures - 1)))
    } finally {
      syncing.value = false
      await refreshCounts()
    }
  }

  /**
   * The router says whether the screen on show watches the organisation's data (`meta.live`).
   * Opening one syncs at once if the last sync is older than the live interval.
   */
  function setLive(on: boolean): void {
    if (on === live) return
    live = on
    if (!session.value || syncing.value || error.value) return
    const age = lastSyncAt.value ? Date.now() - Date.parse(lastSyncAt.value) : Infinity
    schedule(on ? Math.max(0, LIVE_INTERVAL_MS - age) : INTERVAL_MS)
  }

  /** Syncs now (one run at a time; a call during a run waits for it). */
  function syncNow(): Promise<void> {
    if (!session.value || revoked.value) return Promise.resolve()
    running ??= runOnce().finally(() => (running = null))
    return running
  }

  type SignInResult =
    | { ok: true }
    | {
        ok: false
        reason: 'invalid' | 'other-origin' | 'wrong-account' | SyncErrorKind
        message?: string
      }

  async function signIn(
    address: string,
    username: string,
    password: string,
  ): Promise<SignInResult> {
    const { createServerApi, normaliseServerUrl } = await client()
    const norm = normaliseServerUrl(address, location.origin)
    if (!norm.ok) return { ok: false, reason: norm.reason }
    const r = repos()
    const deviceId = await r.meta.deviceId()
    const sync = await r.sync()
    try {
      const res = await createServerApi(norm.url).login(username.trim(), password, deviceId)
      // A different account than the one whose data is here: its data must not mix in.
      const prev = await sync.session()
      const s: ServerSession = {
        url: norm.url,
        token: res.token,
        expiresAt: res.expiresAt,
        user: res.user,
        signedInAt: new Date().toISOString(),
      }
      if (prev && prev.user.username !== res.user.username)
        return { ok: false, reason: 'wrong-account', message: prev.user.username }
      await sync.setSession(s)
      // What this device holds from before (or of no account) waits for the user's say-so.
      if (!prev) await sync.holdLocal()
      session.value = s
      error.value = null
      failures = 0
      listen()
      void syncNow()
      return { ok: true }
    } catch (e) {
      const err = asSyncError(e)
      return { ok: false, reason: err.kind, message: err.message }
    }
  }

  /**
   * Signs out. With changes not yet on the server it refuses (returns their count) unless
   * `discard` is given: the caller offers to push or export them first.
   */
  async function signOut(
    opts: { discard?: boolean } = {},
  ): Promise<{ ok: boolean; unsent: number }> {
    await refreshCounts()
    if (waiting.value > 0 && !opts.discard) return { ok: false, unsent: waiting.value }
    clearTimeout(timer)
    if (session.value && !revoked.value)
      await api()
        .then((a) => a.logout())
        .catch(() => undefined)
    await (await repos().sync()).removeAccountData()
    session.value = null
    await applyServerFiles(true)
    error.value = null
    lastSyncAt.value = null
    await refreshCounts()
    pulledTick.value++
    return { ok: true, unsent: 0 }
  }

  /** Exports every store with unsent changes as a bundle (exchange store's download link). */
  async function exportUnsent(): Promise<void> {
    const r = repos()
    const codes = new Set<string>()
    for (const row of await r.outbox.list()) {
      if (row.kind === 'evaluation') {
        const e = await r.evaluations.get(row.id)
        if (e) codes.add(e.storeCode)
      } else if (row.kind === 'action') {
        const a = await r.actions.get(row.id)
        if (a) codes.add(a.storeCode)
      }
    }
    const { useExchangeStore } = await import('./exchange')
    await useExchangeStore().exportBundle({ storeCodes: [...codes] })
  }

  /** Uploads the records held from before the connection; what the server refuses is listed. */
  async function uploadHeld(): Promise<void> {
    await (await repos().sync()).releaseHeld()
    await refreshCounts()
    await syncNow()
  }

  /**
   * The user's choice for a disputed record: `server` takes the server's copy on this device;
   * `local` sends this device's copy again over the server's, which then keeps it.
   */
  async function resolve(key: string, choice: 'local' | 'server'): Promise<void> {
    await (await repos().sync()).resolveDispute(key, choice)
    await refreshCounts()
    pulledTick.value++
    await syncNow()
  }

  /** Marks refused rows for another try (after the cause was fixed) and syncs. */
  async function retryProblems(): Promise<void> {
    await repos().outbox.clearProblems()
    await syncNow()
  }

  /** Connected: the reviewer levels the account may evaluate this store at (none: read only). */
  function reviewersAt(store: Pick<Store, 'province' | 'city' | 'code'>): Reviewer[] | null {
    if (!session.value) return null
    return reviewersFor(session.value.user, storePath(store))
  }

  /** Connected: whether the account's units cover the store (a store manager: theirs only). */
  function sees(store: Pick<Store, 'province' | 'city' | 'code'>): boolean {
    if (!session.value) return true
    const path = storePath(store)
    return session.value.user.roles.some((r) => within(path, r.unit))
  }

  /** Connected: whether a unit (`group/…`) is inside the account's units or above one of them. */
  function seesUnit(path: string): boolean {
    if (!session.value) return true
    return session.value.user.roles.some((r) => within(path, r.unit) || within(r.unit, path))
  }

  /**
   * Connected: whether the account may take a certification step for a unit (`省/市` for a city
   * step, a province otherwise) or act on a store's grade; unconnected: always (the device's
   * own log, as before).
   */
  function certifiesStep(step: CertifyStepName, unit: string): boolean {
    if (!session.value) return true
    const path = stepPath(step, unit)
    return path !== null && mayCertify(session.value.user, path)
  }
  function certifiesStore(store: Pick<Store, 'province' | 'city' | 'code'>): boolean {
    if (!session.value) return true
    return mayCertify(session.value.user, storePath(store))
  }

  /** Connected: the API with the session's token (for actions the server records itself). */
  async function serverApi(): Promise<ServerApi | null> {
    // A screen opened straight from the address bar asks before the start has read the session.
    await init()
    return session.value ? api() : null
  }

  return {
    seesUnit,
    certifiesStep,
    certifiesStore,
    serverApi,
    session,
    user,
    ready,
    connected,
    syncing,
    lastSyncAt,
    waiting,
    problems,
    held,
    disputes,
    refusals,
    uploadHeld,
    resolve,
    error,
    revoked,
    pulledTick,
    init,
    syncNow,
    setLive,
    signIn,
    signOut,
    exportUnsent,
    retryProblems,
    refreshCounts,
    reviewersAt,
    sees,
  }
})
