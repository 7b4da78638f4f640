import {
  base64url,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose'

export const ISSUER = 'https://id.example'
export const RESOURCE = 'https://api.example/mcp'
/** A fixed clock: every token and proof is made for it. */
export const NOW = 1_800_000_000

/** A test issuer: an ES256 key published in a JWKS behind discovery, served by a stub fetch. */
export interface TestIssuer {
  fetch: typeof fetch
  /** URLs the stub fetch was asked for. */
  fetched: string[]
  sign(claims?: JWTPayload, header?: { typ?: string; alg?: string; kid?: string }): Promise<string>
}

export async function testIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256')
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }
  const fetched: string[] = []
  const routes: Record<string, unknown> = {
    [`${ISSUER}/.well-known/oauth-authorization-server`]: {
      issuer: ISSUER,
      jwks_uri: `${ISSUER}/jwks`,
    },
    [`${ISSUER}/jwks`]: { keys: [jwk] },
  }
  const stub = async (input: RequestInfo | URL) => {
    const url = input instanceof Request ? input.url : String(input)
    fetched.push(url)
    const body = routes[url]
    return body === undefined
      ? new Response('not found', { status: 404 })
      : Response.json(body, { headers: { 'Content-Type': 'application/json' } })
  }
  return {
    fetch: stub as typeof fetch,
    fetched,
    sign: (claims = {}, header = {}) =>
      new SignJWT({
        iss: ISSUER,
        aud: RESOURCE,
        sub: 'user-1',
        client_id: 'client-1',
        scope: 'mcp:tools',
        jti: crypto.randomUUID(),
        iat: NOW,
        exp: NOW + 300,
        ...claims,
      })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k1', ...header })
        .sign(privateKey),
  }
}

/** A client's DPoP key: its thumbprint (`cnf.jkt`) and proofs for requests. */
export interface DpopKey {
  jkt: string
  proof(
    request: { method: string; url: string; token: string },
    overrides?: Record<string, unknown>,
  ): Promise<string>
}

export async function dpopKey(): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256')
  const jwk: JWK = await exportJWK(publicKey)
  return {
    jkt: await calculateJwkThumbprint(jwk, 'sha256'),
    proof: async ({ method, url, token }, overrides = {}) =>
      new SignJWT({
        jti: crypto.randomUUID(),
        htm: method,
        htu: url,
        iat: NOW,
        ath: base64url.encode(
          new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))),
        ),
        ...overrides,
      })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
        .sign(privateKey),
  }
}

/** An unsigned JWT (`alg: none`) and an HS256 one, forged without the issuer's key. */
export async function forgedTokens(claims: JWTPayload) {
  const encode = (value: unknown) => base64url.encode(JSON.stringify(value))
  const none = `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode(claims)}.`
  const hs256 = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' })
    .sign(new TextEncoder().encode('a-secret-anyone-could-guess-0123456789'))
  return { none, hs256 }
}
