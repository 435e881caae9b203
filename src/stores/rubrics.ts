/**
 * The rubric files shipped with the app (rubrics/*.yaml), read on first use. They are bundled
 * as text in their own lazily loaded chunks, and read with the YAML parser and the rubric schema
 * (io/rubric-file) loaded on first use too: the home page and the store register do not pay
 * for them; the service worker precaches them for offline use.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { FileReport, SourceFile } from '@/io/rubric-file'
import {
  pick as pickRubric,
  RubricRegistry,
  type PickOptions,
  type PickResult,
} from '@/domain/rubric-registry'
import type { Rubric } from '@/domain/rubric-schema'
import type { Store } from '@/domain/types'
import { repos } from '@/db/repos'

type Loader = () => Promise<string>

const shipped = import.meta.glob<string>('/rubrics/*.yaml', { query: '?raw', import: 'default' })
// `npm run bench` builds with VITE_BENCH_RUBRICS=1 to add a synthetic 100-item rubric. The test is
// a build-time constant, so ordinary builds drop this branch and never ship the fixture.
const files: Record<string, Loader> =
  import.meta.env.VITE_BENCH_RUBRICS === '1'
    ? {
        ...shipped,
        ...import.meta.glob<string>('/tests/bench/fixtures/*.yaml', {
          query: '?raw',
          import: 'default',
        }),
      }
    : shipped

async function importedRubricsSafely(): Promise<Rubric[]> {
  try {
    return await repos().meta.importedRubrics()
  } catch {
    // The shipped rubrics must load even when the database cannot be opened.
    return []
  }
}

/** Rubric files the sync server sent (connected devices), used offline like the shipped ones. */
async function serverFilesSafely(): Promise<SourceFile[]> {
  try {
    return (await (await repos().sync()).serverFiles())
      .filter((f) => f.kind === 'rubric')
      .map((f) => ({ name: `server:${f.id}`, text: f.text }))
  } catch {
    return []
  }
}

export const useRubricStore = defineStore('rubrics', () => {
  const registry = shallowRef<RubricRegistry>(new RubricRegistry())
  const reports = ref<FileReport[]>([])
  const loaded = ref(false)
  let loading: Promise<void> | null = null

  /** Files that failed validation: shown to the user instead of silently dropping a rubric. */
  const problems = computed(() => reports.value.filter((r) => !r.ok))

  /** Reads every rubric file once; later calls wait for the same load. `sources` is for tests. */
  function load(sources: Record<string, Loader> = files): Promise<void> {
    loading ??= (async () => {
      const texts: SourceFile[] = await Promise.all(
        Object.entries(sources).map(async ([path, read]) => ({
          name: path.split('/').pop() ?? path,
          text: await read(),
        })),
      )
      // The YAML parser and the rubric schema load with the first rubric, not with the app.
      const { buildRegistry } = await import('@/io/rubric-file')
      const built = buildRegistry([...texts, ...(await serverFilesSafely())])
      // Versions carried in by bundles (e.g. another province's variant, or an older version
      // this build no longer ships) are known too; a shipped id@version always wins.
      for (const rubric of await importedRubricsSafely()) {
        if (!built.registry.get(rubric.id, rubric.version)) built.registry.add(rubric)
      }
      registry.value = built.registry
      reports.value = built.reports
      loaded.value = true
    })()
    return loading
  }

  /** The rubric a new evaluation of this store uses (latest applicable version), and why. */
  function pick(
    store: Pick<Store, 'level' | 'type' | 'province'>,
    options?: PickOptions,
  ): PickResult {
    return pickRubric(registry.value, store, options)
  }

  /** The exact version an evaluation was started with. */
  function get(id: string, version: string): Rubric | undefined {
    return registry.value.get(id, version)
  }

  /** Reads the files again (the server sent new rubric versions). */
  async function reload(): Promise<void> {
    if (loading) await loading.catch(() => undefined)
    loading = null
    await load()
  }

  return { registry, reports, loaded, problems, load, reload, pick, get }
})
