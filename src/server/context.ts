/** What every route needs: the database, the rubrics, the settings. No request state lives here. */
import type { AuthConfig } from './auth'
import type { Database } from './db'
import type { Rubrics } from './rubrics'

export interface ServerConfig {
  /** The one origin allowed to call the API from a browser (CORS); none when undefined. */
  appOrigin?: string | undefined
  dataDir: string
  auth: AuthConfig
  /** Largest photo accepted, bytes. */
  maxPhotoBytes: number
  /** Largest bundle accepted, bytes. */
  maxBundleBytes: number
  trustProxy: boolean
}

export interface Context {
  db: Database
  rubrics: Rubrics
  config: ServerConfig
}
