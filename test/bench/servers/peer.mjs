// The peer: node-oidc-provider (panva, OpenID Certified) issuing the same kind of token, a
// client_credentials ES256 JWT access token for client_secret_basic, configured as measured in
// docs/performance.md. Clients are given statically and kept in memory; JWT access tokens are not
// stored. Settings arrive as JSON in BENCH_SERVER: port, issuer, clientId, clientSecret, audience.
import { generateKeyPairSync } from 'node:crypto'
import http from 'node:http'
import Provider from 'oidc-provider'
import { announceReady, stopWith } from './lifecycle.mjs'

const { port, issuer, clientId, clientSecret, audience, lifetimeSeconds } = JSON.parse(
  process.env.BENCH_SERVER ?? '{}',
)

/** A private JWK; node-oidc-provider signs with the key whose `alg` the resource server asks. */
function privateJwk(type, options, alg) {
  const { privateKey } = generateKeyPairSync(type, options)
  return { ...privateKey.export({ format: 'jwk' }), alg, use: 'sig', kid: `bench-${alg}` }
}

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  // RS256 only because OpenID Connect's ID-token default needs one; tokens here use ES256.
  jwks: {
    keys: [
      privateJwk('ec', { namedCurve: 'P-256' }, 'ES256'),
      privateJwk('rsa', { modulusLength: 2048 }, 'RS256'),
    ],
  },
  scopes: ['api'],
  ttl: { ClientCredentials: lifetimeSeconds },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    // A default resource, so a plain client_credentials request gets a JWT for our audience.
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
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

const server = http.createServer(provider.callback())
stopWith(() => new Promise((resolve) => server.close(resolve)))
server.listen(port, '127.0.0.1', () =>
  announceReady({ url: `http://127.0.0.1:${port}/`, tokenPath: '/token' }),
)
