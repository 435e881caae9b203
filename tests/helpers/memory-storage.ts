/** A Web Storage (localStorage) for Node tests, shared by every database opened while installed. */
export class MemoryStorage implements Storage {
  private readonly data = new Map<string, string>()
  get length(): number {
    return this.data.size
  }
  clear(): void {
    this.data.clear()
  }
  getItem(key: string): string | null {
    return this.data.get(key) ?? null
  }
  key(index: number): string | null {
    return [...this.data.keys()][index] ?? null
  }
  removeItem(key: string): void {
    this.data.delete(key)
  }
  setItem(key: string, value: string): void {
    this.data.set(key, String(value))
  }
}

/** Installs a fresh MemoryStorage as globalThis.localStorage; returns the function that removes it. */
export function installLocalStorage(): () => void {
  const had = Object.getOwnPropertyDescriptor(globalThis, 'localStorage')
  Object.defineProperty(globalThis, 'localStorage', {
    configurable: true,
    value: new MemoryStorage(),
  })
  return () => {
    if (had) Object.defineProperty(globalThis, 'localStorage', had)
    else delete (globalThis as { localStorage?: Storage }).localStorage
  }
}
