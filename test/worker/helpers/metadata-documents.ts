import type { Outbound } from '../../../worker/src/outbound/fetch-metadata-document'

/** A public address for any host the fake DNS does not know. */
export const PUBLIC_ADDRESS = '93.184.215.14'

/** A valid metadata document for `url`, with `overrides`. */
export function documentFor(url: string, overrides: Record<string, unknown> = {}) {
  return {
    client_id: url,
    client_name: 'Example Agent',
    redirect_uris: ['http://127.0.0.1:33418/callback', 'https://agent.example/callback'],
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    ...overrides,
  }
}

/** A JSON response as a document host sends it. */
export function jsonResponse(body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    headers: { 'Content-Type': 'application/json', ...headers },
  })
}

/**
 * An outbound side with no network: `routes` answers fetched URLs, `dns` resolves hosts
 * (default: one public address). Every fetched URL and resolved host is recorded.
 */
export function fakeOutbound(
  routes: Record<string, (init?: RequestInit) => Response | Promise<Response>>,
  dns: Record<string, string[]> = {},
): Outbound & { fetched: string[]; resolved: string[] } {
  const fetched: string[] = []
  const resolved: string[] = []
  return {
    fetched,
    resolved,
    fetch: async (input, init) => {
      const url = input instanceof Request ? input.url : String(input)
      fetched.push(url)
      const route = routes[url]
      if (route === undefined) return new Response('not found', { status: 404 })
      return route(init)
    },
    resolve: async (host) => {
      resolved.push(host)
      return dns[host] ?? [PUBLIC_ADDRESS]
    },
  }
}
