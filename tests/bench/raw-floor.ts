/**
 * Runs in the page (pass it to `page.evaluate` with its options): the floor an import is divided
 * by. Rows the import left in the app's database are read into memory, then written again, the
 * reads untimed, into a scratch database with the same object stores and key paths in one
 * readwrite transaction with the app's durability (strict). Returns that write's milliseconds and
 * its number of rows.
 * - `tables`: these tables, empty or not; absent: every table that holds rows.
 * - `indexes`: the scratch tables get the app's secondary indexes too (the floor then pays the
 *   same index upkeep); without, key paths only.
 */
export async function rawWriteFloor(opts: {
  tables?: string[]
  indexes: boolean
}): Promise<{ ms: number; rows: number }> {
  const open = (name: string, upgrade?: (db: IDBDatabase) => void) =>
    new Promise<IDBDatabase>((resolve, reject) => {
      const req = upgrade ? indexedDB.open(name, 1) : indexedDB.open(name)
      if (upgrade) req.onupgradeneeded = () => upgrade(req.result)
      req.onsuccess = () => resolve(req.result)
      req.onerror = () => reject(req.error)
    })
  const app = await open('store-service-eval')
  type Index = { name: string; keyPath: string | string[]; unique: boolean; multiEntry: boolean }
  const tables: {
    name: string
    keyPath: string | string[] | null
    indexes: Index[]
    rows: unknown[]
  }[] = []
  for (const name of opts.tables ?? [...app.objectStoreNames]) {
    const store = app.transaction(name).objectStore(name)
    const indexes = opts.indexes
      ? [...store.indexNames].map((n) => {
          const i = store.index(n)
          return { name: n, keyPath: i.keyPath, unique: i.unique, multiEntry: i.multiEntry }
        })
      : []
    const rows = await new Promise<unknown[]>((resolve, reject) => {
      const req = store.getAll()
      req.onsuccess = () => resolve(req.result)
      req.onerror = () => reject(req.error)
    })
    if (opts.tables || rows.length > 0) tables.push({ name, keyPath: store.keyPath, indexes, rows })
  }
  app.close()
  const scratchName = `raw-floor-${Date.now()}`
  const scratch = await open(scratchName, (db) => {
    for (const t of tables) {
      const store = db.createObjectStore(
        t.name,
        t.keyPath === null ? { autoIncrement: true } : { keyPath: t.keyPath },
      )
      for (const i of t.indexes)
        store.createIndex(i.name, i.keyPath, { unique: i.unique, multiEntry: i.multiEntry })
    }
  })
  const t0 = performance.now()
  const tx = scratch.transaction(
    tables.map((t) => t.name),
    'readwrite',
    { durability: 'strict' },
  )
  for (const t of tables) {
    const store = tx.objectStore(t.name)
    for (const row of t.rows) store.put(row)
  }
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error)
  })
  const ms = performance.now() - t0
  scratch.close()
  await new Promise<void>((resolve) => {
    const req = indexedDB.deleteDatabase(scratchName)
    req.onsuccess = () => resolve()
    req.onerror = () => resolve()
  })
  return { ms, rows: tables.reduce((n, t) => n + t.rows.length, 0) }
}
