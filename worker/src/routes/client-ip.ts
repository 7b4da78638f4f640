import type { AppContext } from '../context'

/**
 * The caller's address as Cloudflare sees it (`CF-Connecting-IP`, set by the edge and not
 * forgeable through it), for rate limits and failure counters.
 */
export function clientIp(c: AppContext): string {
  return c.req.header('CF-Connecting-IP') ?? 'unknown'
}
