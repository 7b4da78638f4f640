import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { describe, expect, it } from 'vitest'
import { MCP_SERVER, SERVER } from './helpers/stack'

// The example MCP server `npm start` runs on :8788 (examples/mcp-server), protected by
// @edge-identity/resource-server, against the real identity server: discovery from its 401, a
// token for its resource (RFC 8707) from the demo administration client, a tool call through the
// MCP SDK's client. Values from .dev.vars.example, which `npm start` copied to .dev.vars.
const ADMIN_ID = '0b9d8f2e-7a6c-4e5d-8b1a-9c0d1e2f3a4b'
const ADMIN_SECRET = 'demo-admin-client-secret-change-me-0123456789'
const RESOURCE = `${MCP_SERVER}/mcp`
const METADATA = `${MCP_SERVER}/.well-known/oauth-protected-resource/mcp`

describe('example MCP server (against npm start)', () => {
  it('answers 401 with resource_metadata, whose metadata leads to the identity server (RFC 9728 §5.1)', async () => {
    const refused = await fetch(RESOURCE)
    expect(refused.status).toBe(401)
    expect(refused.headers.get('WWW-Authenticate')).toBe(`Bearer resource_metadata="${METADATA}"`)

    const metadata = (await (await fetch(METADATA)).json()) as {
      resource: string
      authorization_servers: string[]
      scopes_supported: string[]
    }
    expect(metadata).toMatchObject({
      resource: RESOURCE,
      authorization_servers: [SERVER],
      scopes_supported: ['mcp:tools'],
    })
    const discovery = (await (
      await fetch(`${metadata.authorization_servers[0]}/.well-known/openid-configuration`)
    ).json()) as { issuer: string; token_endpoint: string }
    expect(discovery.issuer).toBe(SERVER)
  })

  it('calls a tool through the MCP SDK client with a client-credentials token for the resource (RFC 8707)', async () => {
    const issued = await fetch(`${SERVER}/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${btoa(`${ADMIN_ID}:${ADMIN_SECRET}`)}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        resource: RESOURCE,
        scope: 'mcp:tools',
      }),
    })
    expect(issued.status).toBe(200)
    const { access_token: token, scope } = (await issued.json()) as {
      access_token: string
      scope: string
    }
    expect(scope).toBe('mcp:tools')

    const client = new Client({ name: 'e2e', version: '0.0.0' })
    await client.connect(
      new StreamableHTTPClientTransport(new URL(RESOURCE), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      }),
    )
    const { tools } = await client.listTools()
    expect(tools.map((tool) => tool.name).sort()).toEqual(['add', 'whoami'])
    const whoami = await client.callTool({ name: 'whoami', arguments: {} })
    expect(whoami.content).toEqual([
      {
        type: 'text',
        text: JSON.stringify({ sub: ADMIN_ID, client_id: ADMIN_ID, scopes: ['mcp:tools'] }),
      },
    ])
    await client.close()

    // A management API token (aud {issuer}/api) is not a token for this resource.
    const apiToken = await fetch(`${SERVER}/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${btoa(`${ADMIN_ID}:${ADMIN_SECRET}`)}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    })
    const { access_token: wrongAudience } = (await apiToken.json()) as { access_token: string }
    const refused = await fetch(RESOURCE, {
      method: 'POST',
      headers: { Authorization: `Bearer ${wrongAudience}`, 'Content-Type': 'application/json' },
      body: '{}',
    })
    expect(refused.status).toBe(401)
    expect(refused.headers.get('WWW-Authenticate')).toContain('error="invalid_token"')
  })
})
