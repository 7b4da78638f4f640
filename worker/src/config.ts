import type { Env } from './env'

export type Environment = 'development' | 'test' | 'production'
export type AccessTokenSigningAlg = 'ES256' | 'RS256'
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/** The demo tenant that `npm start` seeds (development only; docs/architecture.md "Dev seed"). */
export interface DemoSeedConfig {
  readonly tenantId: string
  readonly adminEmail: string
  readonly adminPassword: string
  readonly adminClientId: string
  readonly adminClientSecret: string
  readonly spaClientId: string
  readonly spaOrigin: string
}

/** Validated, typed, frozen configuration. Read once per isolate by `readConfig`. */
export interface Config {
  /** Issuer identifier, no trailing slash (RFC 8414 §2, OIDC Discovery §4.3). */
  readonly issuer: string
  readonly environment: Environment
  readonly accessTokenSigningAlg: AccessTokenSigningAlg
  /** Encrypts private signing keys at rest (AES-GCM, key derived with HKDF). */
  readonly keyEncryptionSecret: string
  /** Bearer token of the operator endpoints under /ops; they answer 404 when it is unset. */
  readonly opsToken: string | undefined
  /**
   * Opt-in per-isolate cache of client records for the token endpoint, in seconds (0 = off).
   * At most 30: a deleted secret or disabled client may keep working that long in an isolate.
   */
  readonly clientCacheTtlSeconds: number
  /**
   * Whether DPoP proofs at the token endpoint must carry a server nonce (RFC 9449 §8; default
   * false). The nonces are stateless (steps/dpop-nonce.ts), so every isolate can check them.
   */
  readonly requireDpopNonce: boolean
  readonly logLevel: LogLevel
  readonly demo: DemoSeedConfig | undefined
  /**
   * The tenant in which clients whose `client_id` is the URL of a client ID metadata document
   * live (METADATA_DOCUMENT_TENANT_ID; docs/architecture.md "Client ID metadata documents").
   * Unset: such clients are refused.
   */
  readonly metadataDocumentTenantId: string | undefined
}

/** Thrown at startup (global scope of the worker) when the configuration is unusable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid edge-identity configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

const MIN_SECRET_LENGTH = 32
const MAX_CLIENT_CACHE_TTL_SECONDS = 30
/** Used only when ENVIRONMENT is development or test and no KEY_ENCRYPTION_SECRET is set. */
const DEV_KEY_ENCRYPTION_SECRET = 'development-only key encryption secret, never deploy'

type Vars = Omit<
  Env,
  'DB' | 'CACHE' | 'CLIENT_AUTH_FAILURES' | 'API_REQUESTS' | 'AUTHORIZE_REQUESTS'
>

/**
 * Reads and validates the worker's variables and secrets. Every problem is reported at once,
 * with the variable's name, so a bad deployment fails at startup rather than at the first request.
 */
export function readConfig(env: Vars): Config {
  const problems: string[] = []
  const environment = readEnvironment(env.ENVIRONMENT, problems)
  const issuer = readIssuer(env.ISSUER, environment, problems)

  let keyEncryptionSecret = env.KEY_ENCRYPTION_SECRET ?? ''
  if (keyEncryptionSecret === '') {
    if (environment === 'production') {
      problems.push('KEY_ENCRYPTION_SECRET is missing: set it with `wrangler secret put`')
    }
    keyEncryptionSecret = DEV_KEY_ENCRYPTION_SECRET
  } else if (keyEncryptionSecret.length < MIN_SECRET_LENGTH) {
    problems.push(`KEY_ENCRYPTION_SECRET must be at least ${MIN_SECRET_LENGTH} characters`)
  }

  const opsToken = env.OPS_TOKEN === '' ? undefined : env.OPS_TOKEN
  if (opsToken !== undefined && opsToken.length < MIN_SECRET_LENGTH) {
    problems.push(`OPS_TOKEN must be at least ${MIN_SECRET_LENGTH} characters`)
  }

  const accessTokenSigningAlg = env.ACCESS_TOKEN_SIGNING_ALG ?? 'ES256'
  if (accessTokenSigningAlg !== 'ES256' && accessTokenSigningAlg !== 'RS256') {
    problems.push('ACCESS_TOKEN_SIGNING_ALG must be ES256 or RS256')
  }

  const clientCacheTtlSeconds = Number(env.CLIENT_CACHE_TTL_SECONDS ?? '0')
  if (
    !Number.isInteger(clientCacheTtlSeconds) ||
    clientCacheTtlSeconds < 0 ||
    clientCacheTtlSeconds > MAX_CLIENT_CACHE_TTL_SECONDS
  ) {
    problems.push(
      `CLIENT_CACHE_TTL_SECONDS must be an integer from 0 (off) to ${MAX_CLIENT_CACHE_TTL_SECONDS}`,
    )
  }

  const requireDpopNonce = env.DPOP_REQUIRE_NONCE ?? 'false'
  if (requireDpopNonce !== 'true' && requireDpopNonce !== 'false') {
    problems.push('DPOP_REQUIRE_NONCE must be true or false')
  }

  const logLevel = env.LOG_LEVEL ?? 'info'
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    problems.push('LOG_LEVEL must be debug, info, warn or error')
  }

  const demo = environment === 'production' ? undefined : readDemoSeed(env, problems)
  const metadataDocumentTenantId =
    env.METADATA_DOCUMENT_TENANT_ID === '' ? undefined : env.METADATA_DOCUMENT_TENANT_ID

  if (problems.length > 0) throw new ConfigError(problems)
  return Object.freeze({
    issuer,
    environment,
    accessTokenSigningAlg: accessTokenSigningAlg as AccessTokenSigningAlg,
    keyEncryptionSecret,
    opsToken,
    clientCacheTtlSeconds,
    requireDpopNonce: requireDpopNonce === 'true',
    logLevel: logLevel as LogLevel,
    demo,
    metadataDocumentTenantId,
  })
}

function readEnvironment(value: string | undefined, problems: string[]): Environment {
  const environment = value ?? 'production'
  if (environment === 'development' || environment === 'test' || environment === 'production') {
    return environment
  }
  problems.push('ENVIRONMENT must be development, test or production')
  return 'production'
}

function readIssuer(value: string | undefined, environment: Environment, problems: string[]) {
  if (value === undefined || value === '') {
    problems.push(
      'ISSUER is missing: set it in wrangler.toml [vars], e.g. https://auth.example.com',
    )
    return ''
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    problems.push(`ISSUER is not an absolute URL: ${JSON.stringify(value)}`)
    return value
  }
  // RFC 8414 §2: https, no query, no fragment. We also refuse a trailing slash, because the
  // issuer is compared byte for byte by relying parties (OIDC Discovery §4.3).
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push('ISSUER must be an http(s) URL')
  } else if (url.search !== '' || url.hash !== '' || value.includes('?') || value.includes('#')) {
    problems.push('ISSUER must not have a query or a fragment')
  } else if (value.endsWith('/')) {
    problems.push(`ISSUER must not end with "/": use ${JSON.stringify(value.replace(/\/+$/, ''))}`)
  } else if (url.username !== '' || url.password !== '') {
    problems.push('ISSUER must not contain credentials')
  } else if (value !== url.href.replace(/\/$/, '')) {
    problems.push(
      `ISSUER is not in canonical form: use ${JSON.stringify(url.href.replace(/\/$/, ''))}`,
    )
  } else if (environment === 'production' && url.protocol !== 'https:') {
    problems.push('ISSUER must use https in production (ENVIRONMENT is production by default)')
  }
  return value
}

function readDemoSeed(env: Vars, problems: string[]): DemoSeedConfig | undefined {
  const names = {
    tenantId: 'DEMO_TENANT_ID',
    adminEmail: 'DEMO_ADMIN_EMAIL',
    adminPassword: 'DEMO_ADMIN_PASSWORD',
    adminClientId: 'DEMO_ADMIN_CLIENT_ID',
    adminClientSecret: 'DEMO_ADMIN_CLIENT_SECRET',
    spaClientId: 'DEMO_SPA_CLIENT_ID',
  } as const
  const values = Object.fromEntries(
    Object.entries(names).map(([key, name]) => [key, env[name] ?? '']),
  ) as Record<keyof typeof names, string>
  const missing = Object.entries(names).filter(([key]) => values[key as keyof typeof names] === '')
  if (missing.length === Object.keys(names).length) return undefined
  if (missing.length > 0) {
    problems.push(
      `the demo seed is incomplete: ${missing.map(([, name]) => name).join(', ')} missing`,
    )
    return undefined
  }
  return Object.freeze({ ...values, spaOrigin: env.DEMO_SPA_ORIGIN ?? 'http://localhost:5173' })
}
