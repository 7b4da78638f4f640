// The peer: node-oidc-provider (panva, OpenID Certified) serving the same flows as ours, configured
// as measured in docs/performance.md. Clients are given statically and kept in memory, as are
// codes, grants, sessions and refresh tokens (MapAdapter below: its own memory adapter is an LRU
// of 1,000 entries, which a round of codes and refresh tokens overflows); JWT access tokens
// (ES256, RFC 9068, through `resourceIndicators`) are not stored. Settings arrive as JSON in
// BENCH_SERVER: port, issuer, clientId, clientSecret (client_credentials), web (the code-flow
// client: id, secret, redirectUri), user (the account every code is for), audience.
//
// Its sign-in: /interaction/:uid finishes every interaction at once for `user`, with a grant
// that covers the requested scopes and the resource, so a session cookie then gets codes from
// /auth without any page (the bench signs in once, then drives /auth, like ours).
import { generateKeyPairSync } from 'node:crypto'
import http from 'node:http'
import Provider from 'oidc-provider'
import { announceReady, stopWith } from './lifecycle.mjs'

const { port, issuer, clientId, clientSecret, audience, lifetimeSeconds, web, user } = JSON.parse(
  process.env.BENCH_SERVER ?? '{}',
)

/** A private JWK; node-oidc-provider signs with the key whose `alg` the resource server asks. */
function privateJwk(type, options, alg) {
  const { privateKey } = generateKeyPairSync(type, options)
  return { ...privateKey.export({ format: 'jwk' }), alg, use: 'sig', kid: `bench-${alg}` }
}

const epoch = () => Math.floor(Date.now() / 1000)
const store = new Map()
const byGrant = new Map()
const byUid = new Map()

/** node-oidc-provider's adapter interface over plain Maps, without eviction (runs are short). */
class MapAdapter {
  constructor(name) {
    this.name = name
  }
  key(id) {
    return `${this.name}:${id}`
  }
  async upsert(id, payload) {
    const key = this.key(id)
    store.set(key, payload)
    if (payload.grantId) {
      const members = byGrant.get(payload.grantId) ?? new Set()
      members.add(key)
      byGrant.set(payload.grantId, members)
    }
    if (payload.uid) byUid.set(payload.uid, id)
  }
  async find(id) {
    return store.get(this.key(id))
  }
  async findByUid(uid) {
    const id = byUid.get(uid)
    return id === undefined ? undefined : this.find(id)
  }
  async findByUserCode() {
    return undefined
  }
  async consume(id) {
    const payload = store.get(this.key(id))
    if (payload) payload.consumed = epoch()
  }
  async destroy(id) {
    store.delete(this.key(id))
  }
  async revokeByGrantId(grantId) {
    for (const key of byGrant.get(grantId) ?? []) store.delete(key)
    byGrant.delete(grantId)
  }
}

const webClient = (id, secret) => ({
  client_id: id,
  client_secret: secret,
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  redirect_uris: [web.redirectUri],
  token_endpoint_auth_method: 'client_secret_basic',
})

// node-oidc-provider answers userinfo only for an access token meant for it (opaque, audience
// the userinfo endpoint), never for a resource server's JWT: this client gets those.
const USERINFO_CLIENT = `${web.id}-userinfo`

const provider = new Provider(issuer, {
  adapter: MapAdapter,
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    webClient(web.id, web.secret),
    webClient(USERINFO_CLIENT, web.secret),
  ],
  // ID tokens RS256 (OpenID Connect's default, as ours); access tokens ES256.
  jwks: {
    keys: [
      privateJwk('rsa', { modulusLength: 2048 }, 'RS256'),
      privateJwk('ec', { namedCurve: 'P-256' }, 'ES256'),
    ],
  },
  scopes: ['openid', 'profile', 'email', 'offline_access', 'api'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  findAccount: (_ctx, sub) => ({
    accountId: sub,
    claims: () => ({ sub, email: user.email, email_verified: true, name: user.name }),
  }),
  ttl: { ClientCredentials: lifetimeSeconds, AccessToken: lifetimeSeconds },
  pkce: { required: () => true },
  // Rotation on every use and a refresh token for every code of the web client, as ours does
  // for a hybrid client allowed refresh tokens.
  issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    // A default resource, so a plain request gets a JWT for our audience.
    resourceIndicators: {
      enabled: true,
      defaultResource: (_ctx, client) =>
        client.clientId === USERINFO_CLIENT ? undefined : audience,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'api',
        audience,
        accessTokenTTL: lifetimeSeconds,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
})

/** Finishes a login + consent interaction for `user`, with a grant for what was asked. */
async function finishInteraction(req, res) {
  const details = await provider.interactionDetails(req, res)
  const grant = new provider.Grant({ accountId: user.id, clientId: details.params.client_id })
  grant.addOIDCScope(details.params.scope)
  if (details.params.client_id !== USERINFO_CLIENT) grant.addResourceScope(audience, 'api')
  const grantId = await grant.save()
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: user.id }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  )
}

const callback = provider.callback()
const server = http.createServer((req, res) => {
  if (req.url?.startsWith('/interaction/')) {
    finishInteraction(req, res).catch((error) => {
      res.statusCode = 500
      res.end(String(error))
    })
    return
  }
  callback(req, res)
})
stopWith(() => new Promise((resolve) => server.close(resolve)))
server.listen(port, '127.0.0.1', () =>
  announceReady({ url: `http://127.0.0.1:${port}/`, tokenPath: '/token' }),
)
