/**
 * Lighthouse (issue 16 item 6) on the built app with Debian's Chromium: home, the store register
 * and the evaluation form (a draft of the group rubric written into the app's database first).
 * Scores 0–100 for performance, accessibility and best practices; goal ≥ 95 each (higher is
 * better, the report's one exception), never failing CI.
 *
 * Version: Lighthouse 12.2.3, the newest that installs and runs here: 13.x needs Node ≥ 22.19
 * (this project stays on Node 20). Lighthouse 12 removed the PWA category (and its installable
 * manifest and service-worker audits), so no PWA score exists in any version that runs on
 * Node 20 here; the PWA behaviour is covered by the e2e tests (offline, service worker) instead.
 *
 * Default Lighthouse settings (mobile form factor, simulated throttling), so the scores are
 * comparable with any other Lighthouse run; storage is not reset between pages so the form has
 * its draft.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { launch } from 'chrome-launcher'
import lighthouse from 'lighthouse'
import { chromium } from 'playwright-core'
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium'
import { serveBuiltApp } from './serve-app'
import type { BenchFigure } from './types'

const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const

/** Runs in the page: a draft of the group rubric for the first store, written like the app's. */
async function createDraft(): Promise<string> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open('store-service-eval')
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
  const id = crypto.randomUUID()
  const at = new Date().toISOString()
  const tx = db.transaction('evaluations', 'readwrite')
  tx.objectStore('evaluations').add({
    id,
    storeCode: 'LH0001',
    period: '2026-Q4',
    reviewer: 'city',
    evaluatorName: 'lighthouse',
    rubricId: 'ct-store-service',
    rubricVersion: '1.1.0',
    status: 'draft',
    answers: {},
    revision: 1,
    revisionOf: null,
    createdAt: at,
    updatedAt: at,
    submittedAt: null,
    result: null,
    editSeq: 0,
  })
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error)
  })
  db.close()
  return id
}

export async function run(): Promise<BenchFigure[]> {
  const app = await serveBuiltApp()
  const profile = mkdtempSync(join(tmpdir(), 'sse-lighthouse-'))
  const chrome = await launch({
    chromePath: CHROMIUM,
    chromeFlags: CHROMIUM_ARGS,
    userDataDir: profile,
    logLevel: 'silent',
  })
  const figures: BenchFigure[] = []
  try {
    // Prepare the form's draft through the same browser (the app creates its database first).
    const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`)
    const context = browser.contexts()[0]!
    await context.addInitScript({ content: 'globalThis.__name = (f) => f' })
    const page = await context.newPage()
    await page.goto(`${app.base}/`)
    await page.waitForFunction(() =>
      indexedDB.databases().then((d) => d.some((x) => x.name === 'store-service-eval')),
    )
    const id = await page.evaluate(createDraft)
    await page.close()

    const pages: [string, string][] = [
      ['home', '/'],
      ['register', '/stores'],
      ['form', `/evaluations/${id}`],
    ]
    for (const [label, path] of pages) {
      const result = await lighthouse(`${app.base}${path}`, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: [...CATEGORIES],
        disableStorageReset: true,
      })
      if (!result) throw new Error(`lighthouse gave no result for ${path}`)
      for (const c of CATEGORIES) {
        const score = result.lhr.categories[c]?.score
        if (score === null || score === undefined)
          throw new Error(`lighthouse: no ${c} score for ${path}`)
        figures.push({
          name: `lighthouse ${label} (${path.startsWith('/evaluations/') ? '/evaluations/<draft>' : path}): ${c}`,
          value: Math.round(score * 100),
          unit: 'score',
          target: 95,
          better: 'higher',
        })
      }
    }
    await browser.close().catch(() => undefined)
  } finally {
    chrome.kill()
    await app.close()
    rmSync(profile, { recursive: true, force: true })
  }
  return figures
}
