import { Hono } from 'hono'
import type { AppEnv } from '../context'
import type { Deps } from '../deps'
import { type Client, type ClientType, isThirdParty } from '../domain/client'
import { type GrantType, parseTokenRequest, type TokenRequest } from '../domain/token-request'
import { OAuthError } from '../errors'
import { preflight } from '../middleware/preflight'
import { authenticateClient } from '../steps/authenticate-client'
import { checkTokenDpop } from '../steps/check-token-dpop'
import { issueDpopNonce } from '../steps/dpop-nonce'
import { grantAuthorizationCode } from '../steps/grant-authorization-code'
import { grantClientCredentials } from '../steps/grant-client-credentials'
import { grantRefreshToken } from '../steps/grant-refresh-token'
import { allowClientOrigin } from './allow-client-origin'
import { clientIp } from './client-ip'
import { parseTokenFormRequest } from './parse-form-request'
import { requestHtu } from './request-htu'

/** RFC 6749 §5.1: token responses are never cached. */
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' }

/** The kinds of client: the seed's three, and third-party clients (issue 17). */
type ClientKind = ClientType | 'third-party'
const kindOf = (client: Client): ClientKind => (isThirdParty(client) ? 'third-party' : client.type)

type Grant<G extends GrantType> = {
  /** The kinds of client that may use this grant; any other is unauthorized_client (D12). */
  clients: readonly ClientKind[]
  run: (
    deps: Deps,
    client: Client,
    request: Extract<TokenRequest, { grantType: G }>,
    /** The thumbprint of the DPoP key the request proved (RFC 9449), if it sent a proof. */
    jkt: string | undefined,
  ) => Promise<object>
}

/** Every grant this server supports, and who may use it (RFC 6749 §4.1.3, §4.4, §6). */
const GRANTS: { [G in GrantType]: Grant<G> } = {
  authorization_code: {
    clients: ['authorization-code', 'hybrid', 'third-party'],
    run: grantAuthorizationCode,
  },
  refresh_token: { clients: ['hybrid', 'third-party'], run: grantRefreshToken },
  client_credentials: { clients: ['client-credentials'], run: grantClientCredentials },
}

/**
 * The token endpoint: parse the form and the grant's parameters; authenticate the client, the
 * same way for every grant (a public client by its id alone, a confidential one by a secret),
 * before anything is read or consumed on its behalf (RFC 6749 §4.1.3, checklist N01); then the
 * DPoP proof, if any (RFC 9449 §5: its key binds what is issued); then run the grant, if this
 * kind of client may use it. Every answer, success or error, is JSON with
 * `Cache-Control: no-store` (checklist D10).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.2 RFC 6749 §3.2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 RFC 6749 §4.1.3}
 */
export function tokenRoutes() {
  const app = new Hono<AppEnv>()
  app.use(preflight('POST'))
  app.all('/', async (c) => {
    const deps = c.get('deps')
    const { params, resources } = await parseTokenFormRequest(c.req.raw)
    const request = parseTokenRequest(params, resources)
    const { client } = await authenticateClient(deps, {
      authorization: c.req.header('Authorization'),
      params,
      ip: clientIp(c),
    })
    allowClientOrigin(c, client)
    // RFC 9449 §8: with nonces required, every answer carries the next one, so the client rarely
    // meets use_dpop_nonce twice.
    if (deps.config.requireDpopNonce) c.header('DPoP-Nonce', await issueDpopNonce(deps))
    const proof = c.req.header('DPoP')
    // The request's URL matters only to a proof's `htu`: most token requests send none.
    const jkt = await checkTokenDpop(
      deps,
      client,
      proof === undefined ? undefined : { proof, method: c.req.method, url: requestHtu(c) },
    )
    return c.json(await runGrant(deps, client, request, jkt), 200, NO_STORE)
  })
  return app
}

function runGrant<G extends GrantType>(
  deps: Deps,
  client: Client,
  request: Extract<TokenRequest, { grantType: G }>,
  jkt: string | undefined,
): Promise<object> {
  const grant = GRANTS[request.grantType as G]
  if (!grant.clients.includes(kindOf(client))) {
    throw new OAuthError('unauthorized_client', `This client may not use ${request.grantType}`)
  }
  return grant.run(deps, client, request, jkt)
}
