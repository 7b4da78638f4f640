// The deployment bundle in plain Miniflare, in this process, and the OAuth flows the topology and
// scale models replay against it (scripts/bench-topology.mjs, scripts/bench-scale.mjs): a
// browser in miniature that signs in, fresh codes made through the real /authorize, code
// exchange, client credentials, refresh, the management API.
import { createHash, randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { Miniflare } from 'miniflare'
import { splitSqlStatements } from '../../test/bench/lib/sql.mjs'
import { parseDotenv, ROOT } from './project.mjs'

export const ISSUER = 'http://localhost:8787'
export const SPA_REDIRECT = 'http://localhost:5173/callback'
export const HYBRID_REDIRECT = 'https://web.example.com/signin-oidc'
export const demo = parseDotenv(readFileSync(path.join(ROOT, '.dev.vars.example'), 'utf8'))

/** The Miniflare options wrangler.toml implies (as test/bench/lib/systems.mjs reads them). */
async function readRuntime() {
  const { unstable_readConfig: readWranglerConfig } = await import('wrangler')
  const config = readWranglerConfig({ config: path.join(ROOT, 'wrangler.toml') })
  const d1 = config.d1_databases[0]
  return {
    vars: config.vars,
    migrationsDir: path.join(ROOT, d1.migrations_dir ?? 'migrations'),
    options: {
      compatibilityDate: config.compatibility_date,
      compatibilityFlags: config.compatibility_flags,
      d1Databases: Object.fromEntries(config.d1_databases.map((d) => [d.binding, d.database_id])),
      kvNamespaces: Object.fromEntries(config.kv_namespaces.map((k) => [k.binding, k.id])),
      ratelimits: Object.fromEntries(config.ratelimits.map((r) => [r.name, { simple: r.simple }])),
    },
  }
}

/**
 * Starts the bundle at `scriptPath` in Miniflare with its D1/KV state in `stateDir`, applies the
 * migrations and seeds the demo tenant. `bindings` adds to the test bindings; `reconfigure`
 * restarts the worker with other added bindings (same state).
 */
export async function startWorker(scriptPath, stateDir, bindings = {}) {
  const runtime = await readRuntime()
  const opsToken = randomBytes(32).toString('hex')
  const keyEncryptionSecret = randomBytes(32).toString('hex')
  const options = (extra) => ({
    modules: true,
    scriptPath,
    modulesRoot: path.dirname(scriptPath),
    bindings: {
      ...runtime.vars,
      ...Object.fromEntries(Object.entries(demo).filter(([name]) => name.startsWith('DEMO_'))),
      ENVIRONMENT: 'test',
      LOG_LEVEL: 'error',
      ISSUER,
      KEY_ENCRYPTION_SECRET: keyEncryptionSecret,
      OPS_TOKEN: opsToken,
      ...extra,
    },
    ...runtime.options,
    d1Persist: path.join(stateDir, 'd1'),
    kvPersist: path.join(stateDir, 'kv'),
  })
  const mf = new Miniflare(options(bindings))
  await mf.ready
  const db = await mf.getD1Database('DB')
  for (const file of readdirSync(runtime.migrationsDir)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    const sql = readFileSync(path.join(runtime.migrationsDir, file), 'utf8')
    await db.batch(splitSqlStatements(sql).map((statement) => db.prepare(statement)))
  }
  const seeded = await mf.dispatchFetch(`${ISSUER}/ops/dev-seed`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${opsToken}` },
  })
  if (!seeded.ok) throw new Error(`dev-seed answered ${seeded.status}`)
  await seeded.arrayBuffer()
  return { mf, db, reconfigure: (extra) => mf.setOptions(options(extra)) }
}

/** A browser in miniature: a cookie jar, redirects not followed (as test/worker/helpers). */
export class Browser {
  cookies = new Map()
  ip = `198.18.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`
  constructor(mf) {
    this.mf = mf
  }
  async fetch(pathname, init = {}) {
    const headers = new Headers(init.headers)
    headers.set('CF-Connecting-IP', this.ip)
    if (this.cookies.size > 0) {
      headers.set('Cookie', [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; '))
    }
    const response = await this.mf.dispatchFetch(`${ISSUER}${pathname}`, {
      ...init,
      headers,
      redirect: 'manual',
    })
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';')
      const [name = '', value = ''] = pair.split('=')
      if (value === '' || /max-age=0/i.test(cookie)) this.cookies.delete(name.trim())
      else this.cookies.set(name.trim(), value)
    }
    return response
  }
}

const base64url = (buffer) => Buffer.from(buffer).toString('base64url')

export function pkce() {
  const verifier = base64url(randomBytes(32))
  return { verifier, challenge: base64url(createHash('sha256').update(verifier).digest()) }
}

function hiddenFields(html) {
  const fields = {}
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    fields[m[1]] = m[2].replaceAll('&amp;', '&').replaceAll('&quot;', '"')
  }
  return fields
}

function codeOf(response) {
  const location = response.headers.get('Location')
  if (location === null) throw new Error(`no redirect: ${response.status}`)
  const url = new URL(location)
  return new URLSearchParams(url.hash === '' ? url.search : url.hash.slice(1)).get('code')
}

export const basic = (id, secret) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`

export const form = (fields, headers = {}) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
})

/** Throws on an error answer (4xx, 5xx), with its body. */
export async function ok(response, what) {
  if (response.status >= 400)
    throw new Error(`${what}: ${response.status} ${await response.text()}`)
  return response
}

export function spaQuery(challenge) {
  return new URLSearchParams({
    client_id: demo.DEMO_SPA_CLIENT_ID,
    redirect_uri: SPA_REDIRECT,
    response_type: 'code',
    scope: 'openid profile email api',
    state: randomBytes(8).toString('hex'),
    nonce: randomBytes(8).toString('hex'),
    code_challenge: challenge,
    code_challenge_method: 'S256',
  })
}

/** The flows of one worker, with a browser signed in as the demo administrator. */
export async function flowsOf(mf) {
  const browser = new Browser(mf)
  const page = await browser.fetch(`/authorize?${spaQuery(pkce().challenge)}`)
  const credentials = { email: demo.DEMO_ADMIN_EMAIL, password: demo.DEMO_ADMIN_PASSWORD }
  const fields = { ...hiddenFields(await page.text()), ...credentials }
  await ok(await browser.fetch('/signin', form(fields, { Origin: ISSUER })), 'sign-in')

  const clientCredentials = () =>
    mf.dispatchFetch(
      `${ISSUER}/token`,
      form(
        { grant_type: 'client_credentials' },
        { Authorization: basic(demo.DEMO_ADMIN_CLIENT_ID, demo.DEMO_ADMIN_CLIENT_SECRET) },
      ),
    )
  const adminToken = async () =>
    (await (await ok(await clientCredentials(), 'admin token')).json()).access_token
  const api = (token, method, pathname, body) =>
    mf.dispatchFetch(`${ISSUER}/api/v1/tenants/${demo.DEMO_TENANT_ID}${pathname}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body && { 'Content-Type': 'application/json' }),
      },
      ...(body && { body: JSON.stringify(body) }),
    })
  /** A fresh SPA code (made through the real authorize path) and its verifier. */
  const spaCode = async () => {
    const { verifier, challenge } = pkce()
    // A new address each time: the per-address limit of /authorize is not what is measured.
    browser.ip = `198.18.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`
    const response = await browser.fetch(`/authorize?${spaQuery(challenge)}`)
    return { code: codeOf(await ok(response, 'authorize')), verifier }
  }
  const exchange = ({ code, verifier }) =>
    mf.dispatchFetch(
      `${ISSUER}/token`,
      form({
        grant_type: 'authorization_code',
        code,
        redirect_uri: SPA_REDIRECT,
        client_id: demo.DEMO_SPA_CLIENT_ID,
        code_verifier: verifier,
      }),
    )
  let hybrid
  /** A refresh token of a hybrid client created for the run. */
  const hybridRefreshToken = async () => {
    hybrid ??= await (
      await ok(
        await api(await adminToken(), 'POST', '/hybrid-clients', {
          name: 'Bench web app',
          redirectUris: [HYBRID_REDIRECT],
          allowRefreshToken: true,
        }),
        'hybrid client',
      )
    ).json()
    const query = new URLSearchParams({
      client_id: hybrid.id,
      redirect_uri: HYBRID_REDIRECT,
      response_type: 'code',
      scope: 'openid offline_access',
      state: 'x',
      nonce: 'y',
    })
    const code = codeOf(await ok(await browser.fetch(`/authorize?${query}`), 'hybrid authorize'))
    const response = await mf.dispatchFetch(
      `${ISSUER}/token`,
      form(
        { grant_type: 'authorization_code', code, redirect_uri: HYBRID_REDIRECT },
        { Authorization: basic(hybrid.id, hybrid.secret.value) },
      ),
    )
    return (await (await ok(response, 'hybrid exchange')).json()).refresh_token
  }
  const refresh = (refreshToken) =>
    mf.dispatchFetch(
      `${ISSUER}/token`,
      form(
        { grant_type: 'refresh_token', refresh_token: refreshToken },
        { Authorization: basic(hybrid.id, hybrid.secret.value) },
      ),
    )
  return {
    browser,
    clientCredentials,
    adminToken,
    api,
    spaCode,
    exchange,
    hybridRefreshToken,
    refresh,
  }
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}
