import { loadAllMessages } from '@/i18n'

// The app loads some screens' messages with their route; component tests mount screens directly.
await loadAllMessages()
