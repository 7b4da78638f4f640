import type { Context, Handler, MiddlewareHandler } from 'hono'
import type { AccessTokenClaims } from './access-token'
import { type AuthenticateSettings, authenticate } from './authenticate'
import { challenge } from './challenge'
import { issuerKeys } from './issuer-keys'
import { buildMetadata, metadataUrl, type ProtectedResourceMetadata } from './metadata'
import {
  checkOptions,
  DEFAULT_ALGORITHMS,
  DEFAULT_DPOP_ALGORITHMS,
  type ProtectedResourceOptions,
} from './options'
import { memoryReplayStore } from './replay-store'
import { TokenError } from './token-error'

/** The Hono environment of routes behind `requireToken`: `c.get('auth')` is typed. */
export interface ProtectedResourceEnv {
  Variables: { auth: AccessTokenClaims }
}

/** Options of `requireToken`. */
export interface RequireTokenOptions {
  /** Scope values the token must all carry; missing ones answer 403 `insufficient_scope`. */
  scopes?: readonly string[]
}

/** What {@link protectedResource} answers. */
export interface ProtectedResource {
  /** The resource identifier, as configured. */
  readonly resource: string
  /** The metadata document (RFC 9728 §2). */
  readonly document: ProtectedResourceMetadata
  /** Its absolute URL (RFC 9728 §3.1), named by every challenge's `resource_metadata`. */
  readonly metadataUrl: string
  /** Its path, to mount {@link ProtectedResource.metadata} on: `app.all(pr.metadataPath, pr.metadata)`. */
  readonly metadataPath: string
  /** Serves the document to GET and HEAD, answers CORS preflights, 405 otherwise. */
  readonly metadata: Handler
  /** Middleware that lets through only requests with a valid token; sets `c.get('auth')`. */
  requireToken(options?: RequireTokenOptions): MiddlewareHandler<ProtectedResourceEnv>
  /** The same checks on a plain Request, for code outside Hono. Throws {@link TokenError}. */
  verify(request: Request, options?: RequireTokenOptions): Promise<AccessTokenClaims>
  /** The response for a refusal: status, `WWW-Authenticate`, RFC 6750-style JSON body. */
  refusal(error: TokenError): Response
}

/** Read by browsers: MCP clients in a web page fetch the metadata and read challenges. */
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': '*',
  'Access-Control-Max-Age': '86400',
}

/**
 * A protected resource for Hono on Workers: its RFC 9728 metadata, and middleware that verifies
 * RFC 9068 access tokens from `issuer` for `resource` (DPoP-bound ones per RFC 9449 §7) and
 * answers RFC 6750 / RFC 9728 challenges. Build it once per isolate (module scope, or lazily from
 * `env`): it caches the issuer's keys.
 * @example
 * ```ts
 * const mcp = protectedResource({ issuer: 'https://id.example', resource: 'https://api.example/mcp' })
 * app.all(mcp.metadataPath, mcp.metadata)
 * app.all('/mcp', mcp.requireToken({ scopes: ['mcp:tools'] }), (c) => c.json(c.get('auth')))
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc9728 RFC 9728}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9068 RFC 9068}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3 RFC 6750 §3}
 */
export function protectedResource(options: ProtectedResourceOptions): ProtectedResource {
  checkOptions(options)
  const now = options.now ?? (() => Date.now() / 1000)
  const dpop = options.dpop ?? 'allowed'
  const dpopAlgorithms = options.dpopAlgorithms ?? DEFAULT_DPOP_ALGORITHMS
  const settings: AuthenticateSettings = {
    issuer: options.issuer,
    resource: options.resource,
    algorithms: options.algorithms ?? DEFAULT_ALGORITHMS,
    keys:
      options.jwks ??
      issuerKeys({
        issuer: options.issuer,
        // Called unbound: a Workers fetch throws "Illegal invocation" when detached.
        fetch: options.fetch ?? ((input, init) => fetch(input, init)),
        cacheMaxAgeSeconds: options.jwksCacheMaxAgeSeconds ?? 600,
        cooldownSeconds: options.jwksCooldownSeconds ?? 30,
        now,
      }),
    clockToleranceSeconds: options.clockToleranceSeconds ?? 5,
    now,
    dpop,
    dpopAlgorithms,
    replayStore: options.replayStore ?? memoryReplayStore(now),
  }
  const url = metadataUrl(options.resource)
  const document = buildMetadata({
    resource: options.resource,
    issuer: options.issuer,
    scopesSupported: options.scopesSupported,
    resourceName: options.resourceName,
    resourceDocumentation: options.resourceDocumentation,
    dpopAlgorithms: dpop === 'off' ? undefined : dpopAlgorithms,
    dpopRequired: dpop === 'required',
  })
  const body = JSON.stringify(document)

  const refusal = (error: TokenError): Response => {
    const headers = new Headers({
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
    })
    if (error.status !== 503) {
      headers.set(
        'WWW-Authenticate',
        challenge({
          resourceMetadata: url.href,
          realm: options.realm,
          dpopAlgorithms: dpop === 'off' ? undefined : dpopAlgorithms,
          error,
        }),
      )
    }
    const json = { error: error.code, error_description: error.description }
    return new Response(JSON.stringify(json), { status: error.status, headers })
  }

  const verify = async (request: Request, required?: RequireTokenOptions) => {
    const claims = await authenticate(
      {
        method: request.method,
        url: request.url,
        authorization: request.headers.get('Authorization') ?? undefined,
        dpop: request.headers.get('DPoP') ?? undefined,
      },
      settings,
    )
    const missing = (required?.scopes ?? []).filter((scope) => !claims.scopes.includes(scope))
    if (missing.length > 0) {
      throw new TokenError('insufficient_scope', 'The access token lacks a required scope', {
        dpop: claims.jkt !== undefined,
        scope: (required?.scopes ?? []).join(' '),
      })
    }
    return claims
  }

  return {
    resource: options.resource,
    document,
    metadataUrl: url.href,
    metadataPath: url.pathname,
    metadata: (c: Context) => {
      if (c.req.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS })
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
        return new Response(null, {
          status: 405,
          headers: { ...CORS, Allow: 'GET, HEAD, OPTIONS' },
        })
      }
      return new Response(c.req.method === 'HEAD' ? null : body, {
        headers: {
          ...CORS,
          'Content-Type': 'application/json',
          'Cache-Control': 'public, max-age=3600',
        },
      })
    },
    requireToken: (required) => async (c, next) => {
      let claims: AccessTokenClaims
      try {
        claims = await verify(c.req.raw, required)
      } catch (error) {
        if (error instanceof TokenError) return refusal(error)
        throw error
      }
      c.set('auth', claims)
      return next()
    },
    verify,
    refusal,
  }
}
