/**
 * Resolves a host name to its IPv4 and IPv6 addresses. Pluggable, so tests answer without the
 * network; the default asks a DNS-over-HTTPS resolver, because a Worker has no DNS API of its own.
 */
export type ResolveHost = (host: string) => Promise<string[]>

/** Cloudflare's public resolver, JSON API. */
export const DEFAULT_DOH_ENDPOINT = 'https://cloudflare-dns.com/dns-query'
const DOH_TIMEOUT_MS = 3000
/** DNS record types: A and AAAA (RFC 1035 §3.2.2, RFC 3596 §2.1). */
const RECORD_TYPES = { A: 1, AAAA: 28 } as const

interface DohAnswer {
  Status?: number
  Answer?: { type?: number; data?: string }[]
}

/**
 * A resolver that asks `endpoint` (DNS-over-HTTPS, JSON form) for A and AAAA records and answers
 * every address found; CNAME records on the way are followed by the resolver itself. Throws when
 * the resolver fails or times out.
 * @see {@link https://developers.cloudflare.com/1.1.1.1/encryption/dns-over-https/make-api-requests/dns-json/
 *   Cloudflare DNS over HTTPS, JSON}
 */
export function dnsOverHttps(
  endpoint: string = DEFAULT_DOH_ENDPOINT,
  fetcher: typeof fetch = (input, init) => fetch(input, init),
): ResolveHost {
  return async (host) => {
    const answers = await Promise.all(
      (Object.keys(RECORD_TYPES) as (keyof typeof RECORD_TYPES)[]).map(async (type) => {
        const url = `${endpoint}?name=${encodeURIComponent(host)}&type=${type}`
        const response = await fetcher(url, {
          headers: { accept: 'application/dns-json' },
          signal: AbortSignal.timeout(DOH_TIMEOUT_MS),
        })
        if (!response.ok) throw new Error(`DNS-over-HTTPS answered ${response.status}`)
        const body = (await response.json()) as DohAnswer
        if (body.Status !== 0 && body.Status !== 3) {
          throw new Error(`DNS-over-HTTPS status ${body.Status}`)
        }
        return (body.Answer ?? [])
          .filter((answer) => answer.type === RECORD_TYPES[type] && typeof answer.data === 'string')
          .map((answer) => answer.data as string)
      }),
    )
    return answers.flat()
  }
}
