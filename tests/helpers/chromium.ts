/**
 * The Debian Chromium every browser test and benchmark drives through playwright-core, and the
 * flags it runs with: headless, and nothing that reaches for the network on its own (this
 * machine's closed network refuses those connections, which costs time and adds noise).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]
