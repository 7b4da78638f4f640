import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'

const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] })

/**
 * The example's tools: `whoami` answers who the access token speaks for (its `sub`, client and
 * scopes, as the resource-server middleware verified them); `add` adds two numbers.
 */
export function registerTools(server: McpServer): void {
  server.registerTool(
    'whoami',
    {
      title: 'Who am I',
      description: 'The subject, client and scopes of the access token this call was made with',
    },
    (extra) =>
      text(
        JSON.stringify({
          sub: extra.authInfo?.extra?.sub,
          client_id: extra.authInfo?.clientId,
          scopes: extra.authInfo?.scopes,
        }),
      ),
  )
  server.registerTool(
    'add',
    {
      title: 'Add',
      description: 'Adds two numbers',
      inputSchema: { a: z.number(), b: z.number() },
    },
    ({ a, b }) => text(String(a + b)),
  )
}
