/**
 * Asks the browser to keep this origin's data (navigator.storage.persist()) once, on first
 * real use: loading the demo, importing stores, or opening the app with data in it. Asking on
 * an empty device would spend the one prompt some browsers show on nothing worth keeping.
 */
const ASKED = 'persistAsked'

export async function askPersistOnce(): Promise<boolean | null> {
  const storage = globalThis.navigator?.storage
  if (!storage?.persist || globalThis.localStorage?.getItem(ASKED)) return null
  globalThis.localStorage?.setItem(ASKED, '1')
  if (await storage.persisted?.()) return true
  return storage.persist()
}
