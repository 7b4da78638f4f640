/**
 * The floor: the least a Hono + jose worker in the same runtime must do to serve the same flows
 * as ours, to tell our overhead apart from the platform's. No middleware, no error model (a
 * failure is a bare 400/401, because only the success path is measured), but the same storage
 * work per request: the same number of D1 round trips as ours for each flow (the bench prints
 * both), on the same seeded rows where the flow reads them.
 *
 * - POST /token client_credentials: ONE D1 query for the client with its roles and secret hashes,
 *   SHA-256 of the presented secret and a constant-time compare, an ES256 JWT (RFC 9068).
 * - GET /authorize (setup only, not measured): writes a code row for the user named by
 *   `login_hint` and redirects with the code (the floor has no sign-in).
 * - POST /token authorization_code: client query, then one batch that consumes the code
 *   (conditional UPDATE ... RETURNING on code, client, redirect_uri and PKCE challenge), reads the
 *   user's roles and writes the grant, the access token's record (for revocation) and the grant's
 *   first refresh token; an ES256 access token and an RS256 ID token.
 * - POST /token refresh_token: client query, then one batch that consumes the refresh token,
 *   writes its successor and the access token's record and reads the grant with the user's
 *   roles; an ES256 access token and an RS256 ID token.
 * - GET /userinfo: verify the ES256 access token, read the user row.
 * - GET /.well-known/jwks.json: read from KV (as ours); /.well-known/openid-configuration: built
 *   once per isolate (as ours).
 * - GET /api/clients: verify the bearer token, read the client it names (enabled, roles), then
 *   one batch of a page of client-credentials clients and their count.
 *
 * With CACHE_CLIENT=1 (system `floor-cache`) the client row of client_credentials is kept per
 * isolate and D1 is read once: the floor of ours with CLIENT_CACHE_TTL_SECONDS.
 */
import { Hono } from 'hono'
import {
  base64url,
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose'

interface Env {
  DB: D1Database
  CACHE: KVNamespace
  ISSUER: string
  CACHE_CLIENT?: string
}

interface ClientRow {
  id: string
  tenant_id: string
  type: string
  enabled: number
  access_token_lifetime: number
  role_ids: string
  secrets: string
}

interface Keys {
  es256: CryptoKey
  es256Public: CryptoKey
  rs256: CryptoKey
  jwks: string
}

const encoder = new TextEncoder()
const cachedRows = new Map<string, ClientRow | null>()
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' }
const LIFETIME_SECONDS = 3600

// Workers forbid key generation at global scope: generate on first use, once per isolate.
let keys: Promise<Keys> | undefined
const getKeys = () => {
  keys ??= (async () => {
    const es = await generateKeyPair('ES256', { extractable: true })
    const rs = await generateKeyPair('RS256', { extractable: true })
    const publicJwks: JWK[] = [
      { ...(await exportJWK(es.publicKey)), kid: 'floor', alg: 'ES256', use: 'sig' },
      { ...(await exportJWK(rs.publicKey)), kid: 'floor-rs', alg: 'RS256', use: 'sig' },
    ]
    return {
      es256: es.privateKey,
      es256Public: es.publicKey,
      rs256: rs.privateKey,
      jwks: JSON.stringify({ keys: publicJwks }),
    }
  })()
  return keys
}

let discovery: string | undefined
let tablesReady: Promise<unknown> | undefined

function parseBasic(header: string | undefined): [string, string] | undefined {
  if (header === undefined || !/^Basic /i.test(header)) return undefined
  const decoded = atob(header.slice(6).trim())
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  return [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))]
}

/** Same comparison as ours: time depends only on the lengths. */
function timingSafeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a)
  const right = encoder.encode(b)
  let difference = left.length ^ right.length
  for (let i = 0; i < left.length; i++) difference |= (left[i] ?? 0) ^ (right[i] ?? 0)
  return difference === 0
}

const sha256 = async (value: string) =>
  base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value))))

const randomToken = () => base64url.encode(crypto.getRandomValues(new Uint8Array(32)))

/** The client with its roles and secret hashes, in one query. */
export function findClient(db: D1Database, clientId: string): Promise<ClientRow | null> {
  return db
    .prepare(
      `SELECT c.id, c.tenant_id, c.type, c.enabled, c.access_token_lifetime,
         (SELECT json_group_array(r.role_id) FROM client_roles r WHERE r.client_id = c.id) AS role_ids,
         (SELECT json_group_array(json_array(s.secret_hash, s.expires_at))
            FROM client_secrets s WHERE s.client_id = c.id) AS secrets
       FROM clients c WHERE c.id = ?1`,
    )
    .bind(clientId)
    .first<ClientRow>()
}

/** Basic authentication against the client's stored secret hashes, one D1 query. */
async function authenticate(
  db: D1Database,
  header: string | undefined,
  now: number,
  cache: boolean,
): Promise<ClientRow | undefined> {
  const credentials = parseBasic(header)
  if (credentials === undefined) return undefined
  const [clientId, secret] = credentials
  const cached = cache ? cachedRows.get(clientId) : undefined
  const row = cached !== undefined ? cached : await findClient(db, clientId)
  if (cache) cachedRows.set(clientId, row)
  const presented = await sha256(secret)
  let matched = false
  for (const [hash, expiresAt] of JSON.parse(row?.secrets ?? '[]') as [string, number | null][]) {
    matched =
      (timingSafeEqual(presented, hash) && (expiresAt === null || now < expiresAt)) || matched
  }
  return row !== null && row.enabled === 1 && matched ? row : undefined
}

/** The floor's own single-use state, next to our schema in the same database. */
function ensureTables(db: D1Database) {
  tablesReady ??= db.batch([
    db.prepare(
      `CREATE TABLE IF NOT EXISTS floor_codes (code_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL,
         user_id TEXT NOT NULL, redirect_uri TEXT NOT NULL, code_challenge TEXT NOT NULL,
         scope TEXT NOT NULL, nonce TEXT, expires_at INTEGER NOT NULL, consumed_at INTEGER,
         consumed_by TEXT)`,
    ),
    db.prepare(
      `CREATE TABLE IF NOT EXISTS floor_grants (id TEXT PRIMARY KEY, client_id TEXT NOT NULL,
         user_id TEXT NOT NULL, scope TEXT NOT NULL, created_at INTEGER NOT NULL,
         revoked_at INTEGER)`,
    ),
    db.prepare(
      `CREATE TABLE IF NOT EXISTS floor_refresh_tokens (token_hash TEXT PRIMARY KEY,
         grant_id TEXT NOT NULL, client_id TEXT NOT NULL, user_id TEXT NOT NULL,
         scope TEXT NOT NULL, expires_at INTEGER NOT NULL, used_at INTEGER, used_by TEXT)`,
    ),
    db.prepare(
      `CREATE TABLE IF NOT EXISTS floor_access_tokens (jti TEXT PRIMARY KEY,
         grant_id TEXT NOT NULL, expires_at INTEGER NOT NULL)`,
    ),
  ])
  return tablesReady
}

async function userTokens(
  issuer: string,
  client: ClientRow,
  userId: string,
  roles: string[],
  scope: string,
  nonce: string | null,
  now: number,
  jti: string,
) {
  const { es256, rs256 } = await getKeys()
  const accessToken = await new SignJWT({
    client_id: client.id,
    tid: client.tenant_id,
    roles,
    scope,
    jti,
  })
    .setProtectedHeader({ alg: 'ES256', kid: 'floor', typ: 'at+jwt' })
    .setIssuer(issuer)
    .setSubject(userId)
    .setAudience(`${issuer}/api`)
    .setIssuedAt(now)
    .setExpirationTime(now + LIFETIME_SECONDS)
    .sign(es256)
  const idToken = await new SignJWT({ ...(nonce === null ? {} : { nonce }), auth_time: now })
    .setProtectedHeader({ alg: 'RS256', kid: 'floor-rs', typ: 'JWT' })
    .setIssuer(issuer)
    .setSubject(userId)
    .setAudience(client.id)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(rs256)
  return { accessToken, idToken }
}

const app = new Hono<{ Bindings: Env }>()

app.get('/authorize', async (c) => {
  await ensureTables(c.env.DB)
  const query = new URL(c.req.url).searchParams
  const code = randomToken()
  await c.env.DB.prepare(
    `INSERT INTO floor_codes (code_hash, client_id, user_id, redirect_uri, code_challenge, scope,
       nonce, expires_at) SELECT ?1, ?2, u.id, ?4, ?5, ?6, ?7, ?8 FROM users u WHERE u.email = ?3`,
  )
    .bind(
      await sha256(code),
      query.get('client_id'),
      query.get('login_hint'),
      query.get('redirect_uri'),
      query.get('code_challenge'),
      query.get('scope') ?? 'openid',
      query.get('nonce'),
      Math.floor(Date.now() / 1000) + 600,
    )
    .run()
  const target = new URL(query.get('redirect_uri') ?? '')
  target.searchParams.set('code', code)
  target.searchParams.set('state', query.get('state') ?? '')
  return c.redirect(target.href, 303)
})

app.post('/token', async (c) => {
  const form = new URLSearchParams(await c.req.text())
  const grantType = form.get('grant_type')
  const now = Math.floor(Date.now() / 1000)
  const db = c.env.DB
  const client = await authenticate(
    db,
    c.req.header('Authorization'),
    now,
    grantType === 'client_credentials' && c.env.CACHE_CLIENT === '1',
  )
  if (client === undefined) return c.json({ error: 'invalid_client' }, 401, NO_STORE)

  if (grantType === 'client_credentials') {
    if (client.type !== 'client-credentials') {
      return c.json({ error: 'unauthorized_client' }, 400, NO_STORE)
    }
    const token = await new SignJWT({
      client_id: client.id,
      tid: client.tenant_id,
      roles: JSON.parse(client.role_ids) as string[],
      scope: 'api',
      jti: crypto.randomUUID(),
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'floor', typ: 'at+jwt' })
      .setIssuer(c.env.ISSUER)
      .setSubject(client.id)
      .setAudience(`${c.env.ISSUER}/api`)
      .setIssuedAt(now)
      .setExpirationTime(now + client.access_token_lifetime)
      .sign((await getKeys()).es256)
    return c.json(
      {
        access_token: token,
        token_type: 'Bearer',
        expires_in: client.access_token_lifetime,
        scope: 'api',
      },
      200,
      NO_STORE,
    )
  }

  const requestId = crypto.randomUUID()
  const jti = crypto.randomUUID()
  const refreshToken = randomToken()
  const refreshHash = await sha256(refreshToken)
  if (grantType === 'authorization_code') {
    const codeHash = await sha256(form.get('code') ?? '')
    const grantId = crypto.randomUUID()
    const [consumed, roles] = await db.batch<{
      user_id: string
      scope: string
      nonce: string | null
      roles?: string
    }>([
      db
        .prepare(
          `UPDATE floor_codes SET consumed_at = ?2, consumed_by = ?3
           WHERE code_hash = ?1 AND client_id = ?4 AND redirect_uri = ?5 AND code_challenge = ?6
             AND consumed_at IS NULL AND expires_at > ?2
           RETURNING user_id, scope, nonce`,
        )
        .bind(
          codeHash,
          now,
          requestId,
          client.id,
          form.get('redirect_uri') ?? '',
          await sha256(form.get('code_verifier') ?? ''),
        ),
      db
        .prepare(
          `SELECT (SELECT json_group_array(r.role_id) FROM user_roles r WHERE r.user_id = f.user_id)
             AS roles FROM floor_codes f WHERE f.code_hash = ?1 AND f.consumed_by = ?2`,
        )
        .bind(codeHash, requestId),
      db
        .prepare(
          `INSERT INTO floor_grants (id, client_id, user_id, scope, created_at)
           SELECT ?1, client_id, user_id, scope, ?2 FROM floor_codes
           WHERE code_hash = ?3 AND consumed_by = ?4`,
        )
        .bind(grantId, now, codeHash, requestId),
      db
        .prepare(
          `INSERT INTO floor_access_tokens (jti, grant_id, expires_at)
           SELECT ?1, ?2, ?3 WHERE changes() = 1`,
        )
        .bind(jti, grantId, now + LIFETIME_SECONDS),
      db
        .prepare(
          `INSERT INTO floor_refresh_tokens (token_hash, grant_id, client_id, user_id, scope,
             expires_at)
           SELECT ?1, ?2, client_id, user_id, scope, ?3 FROM floor_codes
           WHERE code_hash = ?4 AND consumed_by = ?5`,
        )
        .bind(refreshHash, grantId, now + 30 * 86400, codeHash, requestId),
    ])
    const code = consumed?.results[0]
    if (code === undefined) return c.json({ error: 'invalid_grant' }, 400, NO_STORE)
    const userRoles = JSON.parse(roles?.results[0]?.roles ?? '[]') as string[]
    const { accessToken, idToken } = await userTokens(
      c.env.ISSUER,
      client,
      code.user_id,
      userRoles,
      code.scope,
      code.nonce,
      now,
      jti,
    )
    return c.json(
      {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: LIFETIME_SECONDS,
        id_token: idToken,
        refresh_token: refreshToken,
        scope: code.scope,
      },
      200,
      NO_STORE,
    )
  }

  if (grantType === 'refresh_token') {
    const presented = await sha256(form.get('refresh_token') ?? '')
    const results = await db.batch<{ user_id: string; scope: string; roles: string }>([
      db
        .prepare(
          `UPDATE floor_refresh_tokens SET used_at = ?2, used_by = ?3
           WHERE token_hash = ?1 AND client_id = ?4 AND used_at IS NULL AND expires_at > ?2`,
        )
        .bind(presented, now, requestId, client.id),
      db
        .prepare(
          `INSERT INTO floor_refresh_tokens (token_hash, grant_id, client_id, user_id, scope,
             expires_at)
           SELECT ?1, r.grant_id, r.client_id, r.user_id, r.scope, r.expires_at
           FROM floor_refresh_tokens r JOIN floor_grants g ON g.id = r.grant_id
           WHERE r.token_hash = ?2 AND r.used_by = ?3 AND g.revoked_at IS NULL`,
        )
        .bind(refreshHash, presented, requestId),
      db
        .prepare(
          `INSERT INTO floor_access_tokens (jti, grant_id, expires_at)
           SELECT ?1, grant_id, ?2 FROM floor_refresh_tokens WHERE token_hash = ?3`,
        )
        .bind(jti, now + LIFETIME_SECONDS, refreshHash),
      db
        .prepare(
          `SELECT r.user_id, r.scope,
             (SELECT json_group_array(u.role_id) FROM user_roles u WHERE u.user_id = r.user_id)
               AS roles
           FROM floor_refresh_tokens r WHERE r.token_hash = ?1`,
        )
        .bind(refreshHash),
    ])
    const row = results[3]?.results[0]
    if (row === undefined) return c.json({ error: 'invalid_grant' }, 400, NO_STORE)
    const { accessToken, idToken } = await userTokens(
      c.env.ISSUER,
      client,
      row.user_id,
      JSON.parse(row.roles) as string[],
      row.scope,
      null,
      now,
      jti,
    )
    return c.json(
      {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: LIFETIME_SECONDS,
        id_token: idToken,
        refresh_token: refreshToken,
        scope: row.scope,
      },
      200,
      NO_STORE,
    )
  }
  return c.json({ error: 'unsupported_grant_type' }, 400, NO_STORE)
})

/** The bearer token's claims, or undefined when it does not verify. */
async function bearer(issuer: string, header: string | undefined) {
  if (header === undefined || !header.startsWith('Bearer ')) return undefined
  try {
    const { payload } = await jwtVerify(header.slice(7), (await getKeys()).es256Public, {
      issuer,
      audience: `${issuer}/api`,
      typ: 'at+jwt',
    })
    return payload
  } catch {
    return undefined
  }
}

app.get('/userinfo', async (c) => {
  const claims = await bearer(c.env.ISSUER, c.req.header('Authorization'))
  if (claims?.sub === undefined) return c.json({ error: 'invalid_token' }, 401)
  const user = await c.env.DB.prepare(
    'SELECT id, email, name FROM users WHERE id = ?1 AND enabled = 1',
  )
    .bind(claims.sub)
    .first<{ id: string; email: string; name: string }>()
  if (user === null) return c.json({ error: 'invalid_token' }, 401)
  return c.json({ sub: user.id, email: user.email, email_verified: true, name: user.name }, 200, {
    'Cache-Control': 'no-store',
  })
})

// Read from KV as ours does (the JWKS is kept in KV, written on first need).
app.get('/.well-known/jwks.json', async (c) => {
  let jwks = await c.env.CACHE.get<unknown>('floor:jwks', { type: 'json', cacheTtl: 60 })
  if (jwks === null) {
    const text = (await getKeys()).jwks
    await c.env.CACHE.put('floor:jwks', text, { expirationTtl: 3600 })
    jwks = JSON.parse(text)
  }
  return c.json(jwks, 200, {
    'Content-Type': 'application/jwk-set+json',
    'Cache-Control': 'public, max-age=300',
  })
})

app.get('/.well-known/openid-configuration', (c) => {
  const issuer = c.env.ISSUER
  discovery ??= JSON.stringify({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access', 'api'],
  })
  return c.body(discovery, 200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'public, max-age=300',
  })
})

app.get('/api/clients', async (c) => {
  const claims = await bearer(c.env.ISSUER, c.req.header('Authorization'))
  if (typeof claims?.client_id !== 'string' || typeof claims.tid !== 'string') {
    return c.json({ error: 'invalid_token' }, 401)
  }
  const db = c.env.DB
  const caller = await db
    .prepare('SELECT enabled FROM clients WHERE id = ?1 AND tenant_id = ?2')
    .bind(claims.client_id, claims.tid)
    .first<{ enabled: number }>()
  if (caller?.enabled !== 1) return c.json({ error: 'invalid_token' }, 401)
  const count = Number(c.req.query('count') ?? '20')
  const [rows, total] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `SELECT c.*,
           (SELECT json_group_array(r.role_id) FROM client_roles r WHERE r.client_id = c.id) AS role_ids
         FROM clients c WHERE c.tenant_id = ?1 AND c.type = ?2
         ORDER BY c.created_at, c.id LIMIT ?3 OFFSET 0`,
      )
      .bind(claims.tid, 'client-credentials', count),
    db
      .prepare('SELECT COUNT(*) AS total FROM clients WHERE tenant_id = ?1 AND type = ?2')
      .bind(claims.tid, 'client-credentials'),
  ])
  return c.json({ items: rows?.results ?? [], total: total?.results[0]?.total ?? 0 })
})

export default app
