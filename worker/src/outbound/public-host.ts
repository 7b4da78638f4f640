import { isPublicAddress, parseIpv4, parseIpv6 } from '../domain/public-address'
import type { ResolveHost } from './resolve-host'

/**
 * Why the server must not fetch from `url`'s host, or undefined: an IP literal must itself be a
 * public unicast address (the WHATWG parser has already turned decimal, octal and hex IPv4 forms
 * into dotted decimal); a host name must resolve, and every address it resolves to must be public
 * (one private answer among public ones is enough to refuse: the fetch may use any of them).
 * Shared by every outbound fetch whose URL a client chooses (metadata documents, `jwks_uri`), so
 * that server-side request forgery is refused the same way everywhere (checklist: SSRF).
 * @see {@link https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document#section-6
 *   draft-ietf-oauth-client-id-metadata-document §6}
 */
export async function nonPublicHostProblem(
  resolve: ResolveHost,
  url: URL,
): Promise<string | undefined> {
  const host = url.hostname
  if (parseIpv4(host) !== undefined || parseIpv6(host) !== undefined) {
    return isPublicAddress(host) ? undefined : 'host is a non-public address'
  }
  let addresses: string[]
  try {
    addresses = await resolve(host)
  } catch {
    return 'host did not resolve'
  }
  if (addresses.length === 0) return 'host has no address'
  if (!addresses.every(isPublicAddress)) return 'host resolves to a non-public address'
  return undefined
}
