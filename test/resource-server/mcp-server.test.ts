import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { describe, expect, it } from 'vitest'
import { mcpApp } from '../../examples/mcp-server/src/app'
import { ISSUER, NOW, testIssuer } from './helpers/issuer'

const RESOURCE = 'http://localhost:8788/mcp'
const METADATA = 'http://localhost:8788/.well-known/oauth-protected-resource/mcp'

async function exampleServer() {
  const issuer = await testIssuer()
  const app = mcpApp({ issuer: ISSUER, resource: RESOURCE, fetch: issuer.fetch, now: () => NOW })
  return { issuer, app }
}

/** An MCP SDK client whose HTTP requests go straight to the Hono app, with this token. */
async function connect(app: ReturnType<typeof mcpApp>, token: string) {
  const transport = new StreamableHTTPClientTransport(new URL(RESOURCE), {
    fetch: async (input, init) => app.request(input instanceof URL ? input.href : input, init),
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  })
  const client = new Client({ name: 'test-client', version: '0.0.0' })
  await client.connect(transport)
  return client
}

describe('the example MCP server (Hono on Workers, MCP SDK, resource-server)', () => {
  it('lists its tools and calls them with a token for its resource', async () => {
    const { issuer, app } = await exampleServer()
    const token = await issuer.sign({ aud: RESOURCE, sub: 'user-7', client_id: 'mcp-client' })
    const client = await connect(app, token)
    const { tools } = await client.listTools()
    expect(tools.map((tool) => tool.name).sort()).toEqual(['add', 'whoami'])
    const whoami = await client.callTool({ name: 'whoami', arguments: {} })
    expect(whoami.content).toEqual([
      {
        type: 'text',
        text: JSON.stringify({ sub: 'user-7', client_id: 'mcp-client', scopes: ['mcp:tools'] }),
      },
    ])
    const sum = await client.callTool({ name: 'add', arguments: { a: 2, b: 40 } })
    expect(sum.content).toEqual([{ type: 'text', text: '42' }])
    await client.close()
  })

  it('answers 401 with resource_metadata to a request without a token (RFC 9728 §5.1)', async () => {
    const { app } = await exampleServer()
    for (const method of ['GET', 'POST']) {
      const response = await app.request(RESOURCE, { method })
      expect(response.status).toBe(401)
      expect(response.headers.get('WWW-Authenticate')).toBe(
        `Bearer resource_metadata="${METADATA}"`,
      )
      expect(response.headers.get('Access-Control-Expose-Headers')).toContain('WWW-Authenticate')
    }
  })

  it('answers a CORS preflight without a token, allowing Authorization and DPoP', async () => {
    const { app } = await exampleServer()
    const response = await app.request(RESOURCE, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://inspector.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, dpop, content-type',
      },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('Access-Control-Allow-Headers')).toContain('Authorization')
    expect(response.headers.get('Access-Control-Allow-Headers')).toContain('DPoP')
  })

  it('serves its metadata, naming the identity server and the scope mcp:tools', async () => {
    const { app } = await exampleServer()
    const response = await app.request(METADATA)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({
      resource: RESOURCE,
      authorization_servers: [ISSUER],
      scopes_supported: ['mcp:tools'],
      bearer_methods_supported: ['header'],
    })
  })

  it('refuses a token for another resource, e.g. the management API (RFC 8707)', async () => {
    const { issuer, app } = await exampleServer()
    const token = await issuer.sign({ aud: `${ISSUER}/api`, scope: 'api' })
    const response = await app.request(RESOURCE, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    })
    expect(response.status).toBe(401)
  })

  it('answers 405 to GET with a token: stateless, no standalone SSE stream', async () => {
    const { issuer, app } = await exampleServer()
    const token = await issuer.sign({ aud: RESOURCE })
    const response = await app.request(RESOURCE, { headers: { Authorization: `Bearer ${token}` } })
    expect(response.status).toBe(405)
    expect(response.headers.get('Allow')).toBe('POST')
  })
})
