import type { Context } from 'hono'
import type { Config } from './config'
import type { SealedValues } from './crypto/sealed-values'
import type { Deps } from './deps'
import type { Env } from './env'
import type { Keyring } from './keyring/keyring'
import type { Logger } from './logger'
import type { ClientCache } from './storage/client-cache'
import type { Db } from './storage/db'

/** What lives as long as the isolate: built once by createApp, shared by every request. */
export interface Services {
  readonly config: Config
  readonly keyring: Keyring
  readonly clientCache: ClientCache
  readonly sealed: SealedValues
  /** A hash no password matches, verified when an account does not exist (no enumeration). */
  readonly decoyPasswordHash: () => Promise<string>
  readonly log: Logger
}

/** Per-request values every handler and step can read from the Hono context. */
export interface Variables {
  requestId: string
  /** What steps need, built once per request (deps.ts). */
  deps: Deps
  services: Services
  config: Config
  log: Logger
  db: Db
  /** Who is calling the management API (set by requireAdministrator). */
  actor: { type: 'user' | 'client'; id: string }
}

export interface AppEnv {
  Bindings: Env
  Variables: Variables
}

export type AppContext = Context<AppEnv>
