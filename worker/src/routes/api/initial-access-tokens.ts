import { createRoute, type OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../../context'
import { sha256 } from '../../crypto/hash'
import { randomId, randomToken } from '../../crypto/random'
import { problems } from '../../errors'
import {
  type InitialAccessToken,
  insertInitialAccessToken,
  listInitialAccessTokens,
  MAX_INITIAL_ACCESS_TOKENS_PER_TENANT,
  revokeInitialAccessToken,
} from '../../storage/initial-access-tokens'
import { administrator, applyChange } from './admin-change'
import {
  CreatedInitialAccessToken,
  CreateInitialAccessToken,
  INITIAL_ACCESS_TOKEN_DEFAULT_SECONDS,
  INITIAL_ACCESS_TOKEN_MAX_SECONDS,
  InitialAccessTokenList,
  InitialAccessTokenParams,
} from './initial-access-token-schemas'
import { isoTime } from './iso-time'
import { json, problemResponses } from './openapi-responses'
import { TenantParams } from './schemas'

const PATH = '/tenants/{tenantId}/initial-access-tokens'
const tags = ['initial-access-tokens']
const security = [{ bearer: [] }]

function toResource(token: InitialAccessToken) {
  return {
    id: token.id,
    description: token.description,
    expiration: isoTime(token.expiresAt),
    maxUses: token.maxUses,
    uses: token.uses,
    revoked: token.revokedAt !== null,
    createdAt: isoTime(token.createdAt),
  }
}

/** The expiration asked for, in unix seconds: default a week, in the future, at most 90 days. */
function expiresAt(expiration: string | undefined, now: number): number {
  if (expiration === undefined) return now + INITIAL_ACCESS_TOKEN_DEFAULT_SECONDS
  const at = Math.floor(Date.parse(expiration) / 1000)
  if (at <= now || at > now + INITIAL_ACCESS_TOKEN_MAX_SECONDS) {
    throw problems.validation([
      { pointer: '#/expiration', detail: 'Must be in the future and at most 90 days away' },
    ])
  }
  return at
}

/**
 * Initial access tokens (RFC 7591 §3): an Account Administrator issues one for the clients that
 * may register themselves in the tenant (dynamic registration must be on as well), lists them
 * (never their values) and revokes them. The value is answered once and stored hashed.
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3 RFC 7591 §3}
 */
export function registerInitialAccessTokenRoutes(api: OpenAPIHono<AppEnv>) {
  api.openapi(
    createRoute({
      method: 'get',
      path: PATH,
      tags,
      security,
      summary: 'List the initial access tokens for dynamic client registration',
      request: { params: TenantParams },
      responses: { 200: json(InitialAccessTokenList, 'The tokens, without their values') },
    }),
    async (c) => {
      const { tenantId } = c.req.valid('param')
      const items = (await listInitialAccessTokens(c.get('deps').db, tenantId)).map(toResource)
      return c.json({ items, total: items.length }, 200)
    },
  )

  api.openapi(
    createRoute({
      method: 'post',
      path: PATH,
      tags,
      security,
      summary: 'Issue an initial access token for dynamic client registration',
      description: `Registration (POST /register, RFC 7591) needs one as Bearer and the tenant's dynamic registration on. At most ${MAX_INITIAL_ACCESS_TOKENS_PER_TENANT} per tenant. The value is in this response only.`,
      request: {
        params: TenantParams,
        body: {
          content: { 'application/json': { schema: CreateInitialAccessToken } },
          required: true,
        },
      },
      responses: {
        201: json(CreatedInitialAccessToken, 'The token, with its value'),
        ...problemResponses(400, 409),
      },
    }),
    async (c) => {
      const { tenantId } = c.req.valid('param')
      const body = c.req.valid('json')
      const admin = administrator(c, tenantId)
      const now = admin.deps.now()
      const value = randomToken()
      const token = {
        id: randomId(),
        tenantId,
        description: body.description,
        maxUses: body.maxUses,
        expiresAt: expiresAt(body.expiration, now),
        createdAt: now,
      }
      await applyChange(admin, {
        audit: {
          action: 'initial_access_token.created',
          target: { type: 'initial_access_token', id: token.id },
          details: { maxUses: token.maxUses, expiration: isoTime(token.expiresAt) },
        },
        write: async (audit) =>
          insertInitialAccessToken(admin.deps.db, { ...token, hash: await sha256(value) }, audit),
        refusals: {
          'limit-reached': () =>
            problems.limitExceeded(
              `A tenant has at most ${MAX_INITIAL_ACCESS_TOKENS_PER_TENANT} initial access tokens`,
            ),
        },
      })
      c.header('Location', `/api/v1/tenants/${tenantId}/initial-access-tokens/${token.id}`)
      const created = { ...toResource({ ...token, uses: 0, revokedAt: null }), value }
      return c.json(created, 201)
    },
  )

  api.openapi(
    createRoute({
      method: 'delete',
      path: `${PATH}/{tokenId}`,
      tags,
      security,
      summary: 'Revoke an initial access token',
      description: 'No registration with it after this; clients it registered stay.',
      request: { params: InitialAccessTokenParams },
      responses: { 204: { description: 'Revoked' }, ...problemResponses(404) },
    }),
    async (c) => {
      const { tenantId, tokenId } = c.req.valid('param')
      const admin = administrator(c, tenantId)
      await applyChange(admin, {
        audit: {
          action: 'initial_access_token.revoked',
          target: { type: 'initial_access_token', id: tokenId },
        },
        write: (audit) =>
          revokeInitialAccessToken(admin.deps.db, tenantId, tokenId, admin.deps.now(), audit),
        refusals: { 'not-found': () => problems.notFound(`No initial access token ${tokenId}`) },
      })
      return c.body(null, 204)
    },
  )
}
