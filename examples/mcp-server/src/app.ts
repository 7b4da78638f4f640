import { type ProtectedResourceEnv, protectedResource } from '@edge-identity/resource-server'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import { Hono } from 'hono'
import { cors } from 'hono/cors'
import { registerTools } from './tools'

/** The scope a token needs to call the tools (the demo tenant's resource defines it). */
export const MCP_SCOPE = 'mcp:tools'

export interface McpAppOptions {
  issuer: string
  resource: string
  /** For tests: the fetch that reaches the issuer (discovery, JWKS). */
  fetch?: typeof fetch
  now?: () => number
}

/**
 * The example MCP server: RFC 9728 metadata for its resource, and the MCP endpoint (the path of
 * the resource identifier, `/mcp`) behind `requireToken`. Stateless Streamable HTTP: a new MCP
 * server and transport per POST, JSON answers, no sessions to keep across isolates.
 * @see {@link https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization MCP authorization}
 */
export function mcpApp(options: McpAppOptions) {
  const protectedMcp = protectedResource({
    issuer: options.issuer,
    resource: options.resource,
    scopesSupported: [MCP_SCOPE],
    resourceName: 'edge-identity example MCP server',
    ...(options.fetch && { fetch: options.fetch }),
    ...(options.now && { now: options.now }),
  })
  const endpoint = new URL(options.resource).pathname
  const app = new Hono<ProtectedResourceEnv>()
  // Browser MCP clients read the challenge and the session header across origins.
  app.use(
    endpoint,
    cors({
      origin: '*',
      allowHeaders: [
        'Authorization',
        'DPoP',
        'Content-Type',
        'Mcp-Protocol-Version',
        'Mcp-Session-Id',
      ],
      exposeHeaders: ['WWW-Authenticate', 'Mcp-Session-Id'],
    }),
  )
  app.all(protectedMcp.metadataPath, protectedMcp.metadata)
  app.all(endpoint, protectedMcp.requireToken({ scopes: [MCP_SCOPE] }), async (c) => {
    // Stateless: no standalone SSE stream (GET) and no session to end (DELETE).
    if (c.req.method !== 'POST') {
      return c.json({ error: 'method_not_allowed' }, 405, { Allow: 'POST' })
    }
    const auth = c.get('auth')
    const server = new McpServer({ name: 'edge-identity-example', version: '0.1.0' })
    registerTools(server)
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    })
    await server.connect(transport)
    return transport.handleRequest(c.req.raw, {
      authInfo: {
        token: auth.token,
        clientId: auth.clientId,
        scopes: auth.scopes,
        expiresAt: auth.expiresAt,
        resource: new URL(options.resource),
        extra: { sub: auth.subject },
      },
    })
  })
  return app
}
