/**
 * A large register for the browser: `count` stores over 31 provinces and 11 cities each, with
 * self-assessments and city inspections of the graded ones (full answer sets and stored scores,
 * like real rows) and their `results` rows, as the app's syncResults would write them. Used by
 * the rankings benchmark and the ranking-pack browser test.
 *
 * Pass the function itself to `page.evaluate(seedLargeRegister, count)` on a page of the app
 * after the app has created its database: it writes with the raw IndexedDB API into the app's
 * own database and schema (no test hook in the production code), and returns the number of
 * evaluations written. The page needs `globalThis.__name = (f) => f` (tsx's keepNames helper).
 */
export async function seedLargeRegister(count: number): Promise<number> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open('store-service-eval')
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
  let a = 20261231
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const provinces = 31
  const stores: unknown[] = []
  const evaluations: unknown[] = []
  const results: unknown[] = []
  for (let i = 0; i < count; i++) {
    const p = i % provinces
    const c = Math.floor(i / provinces) % 11
    const r = rand()
    const level = r < 0.1 ? 1 : r < 0.35 ? 2 : r < 0.75 ? 3 : 4
    const type = rand() < 0.2 ? 'partner' : 'self'
    const code = `S${String(p).padStart(2, '0')}${String(c).padStart(2, '0')}${String(i).padStart(6, '0')}`
    stores.push({
      code,
      name: `省${p}市${c}第${i}营业厅`,
      province: `省${p}`,
      city: `市${c}`,
      level,
      type,
    })
    if (level === 4 || type === 'partner') continue
    const quality = rand()
    for (const reviewer of rand() < 0.7 ? ['self', 'city'] : ['self']) {
      const final = Math.round((70 + quality * 28 + (reviewer === 'self' ? 2 : 0)) * 100)
      const answers: Record<string, unknown> = {}
      for (let k = 0; k < 60; k++)
        answers[`item-${k}`] = { itemId: `item-${k}`, value: rand() < 0.9 }
      const sections = Array.from({ length: 9 }, (_, k) => ({
        sectionId: `sec-${k}`,
        weight: 1100,
        effectiveWeight: 1100,
        earned: 900,
        applicableMax: 1100,
        score: 900,
        applicable: true,
        answered: 7,
        total: 7,
      }))
      const at = new Date(Date.UTC(2026, 9, 1 + (i % 60))).toISOString()
      // The app's results row (src/db/results.ts summaryOf), written with the evaluation.
      results.push({
        evaluationId: `${code}-${reviewer}`,
        storeCode: code,
        period: '2026-Q4',
        reviewer,
        evaluatorName: '评价员',
        rubricId: 'ct-store-service',
        rubricVersion: '1.0.0',
        status: 'submitted',
        submittedAt: at,
        returnedAt: null,
        returnedReason: null,
        score: {
          rubricId: 'ct-store-service',
          rubricVersion: '1.0.0',
          base: final,
          bonus: 0,
          deductions: 0,
          final,
          grade: 'pass',
          scoreGrade: 'pass',
          redLines: [],
          // The compact form (src/domain/store-summary.ts compactSections).
          sections: {
            ids: sections.map((x) => x.sectionId),
            scores: sections.map((x) => (x.applicable ? x.score : null)),
            weights: sections.map((x) => x.effectiveWeight),
          },
        },
      })
      evaluations.push({
        id: `${code}-${reviewer}`,
        storeCode: code,
        period: '2026-Q4',
        reviewer,
        evaluatorName: '评价员',
        rubricId: 'ct-store-service',
        rubricVersion: '1.0.0',
        status: 'submitted',
        answers,
        revision: 1,
        revisionOf: null,
        createdAt: at,
        updatedAt: at,
        submittedAt: at,
        editSeq: 1,
        result: {
          rubricId: 'ct-store-service',
          rubricVersion: '1.0.0',
          base: final,
          bonus: 0,
          bonusUncapped: 0,
          deductions: 0,
          final,
          grade: 'pass',
          scoreGrade: 'pass',
          sections,
          redLines: [],
          reasons: [],
          lost: [],
          missingEvidence: [],
          unanswered: [],
          answered: 60,
          total: 60,
          complete: true,
        },
      })
    }
  }
  // Schema v3 added the results table; seeding an older app would measure the wrong thing.
  if (!db.objectStoreNames.contains('results'))
    throw new Error("expected the app's database at schema v3 or later (no results table)")
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction(['stores', 'evaluations', 'results'], 'readwrite')
    const s = tx.objectStore('stores')
    const e = tx.objectStore('evaluations')
    const r = tx.objectStore('results')
    for (const row of stores) s.put(row)
    for (const row of evaluations) e.put(row)
    for (const row of results) r.put(row)
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error)
  })
  db.close()
  return evaluations.length
}
