/**
 * The floor: the least a Hono + jose worker in the same runtime must do to issue the same token
 * as ours, to tell our overhead apart from the platform's. Per request: parse Basic and the form,
 * ONE D1 query for the client with its roles and secret hashes (the same tables and seeded rows as
 * ours), SHA-256 of the presented secret and a constant-time compare, an ES256 JWT with the same
 * header and claims as ours (RFC 9068), a JSON response. No middleware, no error model: a failure
 * is a bare 400/401, because only the success path is measured.
 *
 * With CACHE_CLIENT=1 (system `floor-cache`) the row is kept per isolate and D1 is read once:
 * the floor of ours with CLIENT_CACHE_TTL_SECONDS (no expiry here, the bench is short).
 */
import { Hono } from 'hono'
import { base64url, type CryptoKey, generateKeyPair, SignJWT } from 'jose'

interface Env {
  DB: D1Database
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

const encoder = new TextEncoder()
const cachedRows = new Map<string, ClientRow | null>()
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' }

// Workers forbid key generation at global scope: generate on first use, once per isolate.
let signingKey: Promise<CryptoKey> | undefined
const getSigningKey = () => {
  signingKey ??= generateKeyPair('ES256').then((pair) => pair.privateKey)
  return signingKey
}

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

const app = new Hono<{ Bindings: Env }>()

app.post('/token', async (c) => {
  const form = new URLSearchParams(await c.req.text())
  if (form.get('grant_type') !== 'client_credentials') {
    return c.json({ error: 'unsupported_grant_type' }, 400, NO_STORE)
  }
  const credentials = parseBasic(c.req.header('Authorization'))
  if (credentials === undefined) return c.json({ error: 'invalid_client' }, 401, NO_STORE)
  const [clientId, secret] = credentials

  const cached = c.env.CACHE_CLIENT === '1' ? cachedRows.get(clientId) : undefined
  const row = cached !== undefined ? cached : await findClient(c.env.DB, clientId)
  if (c.env.CACHE_CLIENT === '1') cachedRows.set(clientId, row)
  const now = Math.floor(Date.now() / 1000)
  const presented = base64url.encode(
    new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(secret))),
  )
  let matched = false
  for (const [hash, expiresAt] of JSON.parse(row?.secrets ?? '[]') as [string, number | null][]) {
    matched =
      (timingSafeEqual(presented, hash) && (expiresAt === null || now < expiresAt)) || matched
  }
  if (row === null || row.enabled !== 1 || row.type !== 'client-credentials' || !matched) {
    return c.json({ error: 'invalid_client' }, 401, NO_STORE)
  }

  const token = await new SignJWT({
    client_id: row.id,
    tid: row.tenant_id,
    roles: JSON.parse(row.role_ids) as string[],
    scope: 'api',
    jti: crypto.randomUUID(),
  })
    .setProtectedHeader({ alg: 'ES256', kid: 'floor', typ: 'at+jwt' })
    .setIssuer(c.env.ISSUER)
    .setSubject(row.id)
    .setAudience(`${c.env.ISSUER}/api`)
    .setIssuedAt(now)
    .setExpirationTime(now + row.access_token_lifetime)
    .sign(await getSigningKey())
  return c.json(
    {
      access_token: token,
      token_type: 'Bearer',
      expires_in: row.access_token_lifetime,
      scope: 'api',
    },
    200,
    NO_STORE,
  )
})

export default app
