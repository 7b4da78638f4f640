import {
  type ProtectedResourceEnv,
  type ProtectedResourceOptions,
  protectedResource,
} from '@edge-identity/resource-server'
import { Hono } from 'hono'
import { ISSUER, NOW, RESOURCE, type TestIssuer } from './issuer'

export const METADATA_URL = 'https://api.example/.well-known/oauth-protected-resource/mcp'

/** A Hono app protecting `/mcp` (scope `mcp:tools`) that echoes `c.get('auth')`. */
export function protectedApp(issuer: TestIssuer, options: Partial<ProtectedResourceOptions> = {}) {
  const resource = protectedResource({
    issuer: ISSUER,
    resource: RESOURCE,
    scopesSupported: ['mcp:tools'],
    resourceName: 'Test MCP',
    fetch: issuer.fetch,
    now: () => NOW,
    ...options,
  })
  const app = new Hono<ProtectedResourceEnv>()
  app.all(resource.metadataPath, resource.metadata)
  app.all('/mcp', resource.requireToken({ scopes: ['mcp:tools'] }), (c) => c.json(c.get('auth')))
  return { app, resource }
}

/** A request to the protected endpoint with these headers. */
export const callMcp = (
  app: Hono<ProtectedResourceEnv>,
  headers: Record<string, string>,
  method = 'POST',
) => app.request(RESOURCE, { method, headers })
