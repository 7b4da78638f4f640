/**
 * Whether an IP address (as DNS answers it: dotted IPv4 or textual IPv6) is a public unicast
 * address that the server may fetch from. Refused: unspecified, loopback, private (RFC 1918),
 * carrier-grade NAT (RFC 6598), link-local, multicast, reserved and documentation ranges,
 * IPv6 unique-local (RFC 4193), and IPv6 forms that embed an IPv4 address (mapped, compatible,
 * NAT64, 6to4, Teredo), which could carry any of those. Anything unparsable is refused too.
 * Used before fetching a client ID metadata document (checklist: SSRF, issue 17).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6890 RFC 6890}
 * @see {@link https://datatracker.ietf.org/doc/draft-ietf-oauth-client-id-metadata-document/
 *   draft-ietf-oauth-client-id-metadata-document §6 (Security Considerations: SSRF)}
 */
export function isPublicAddress(address: string): boolean {
  const v4 = parseIpv4(address)
  if (v4 !== undefined) return isPublicIpv4(v4)
  const v6 = parseIpv6(address)
  if (v6 !== undefined) return isPublicIpv6(v6)
  return false
}

/** IPv4 ranges that are not public unicast: [first octets as a 32-bit number, prefix length]. */
const NON_PUBLIC_V4: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private (RFC 1918)
  ['100.64.0.0', 10], // carrier-grade NAT (RFC 6598)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
]

const V4_RANGES = NON_PUBLIC_V4.map(([base, bits]) => ({
  base: parseIpv4(base) as number,
  mask: bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0,
}))

function isPublicIpv4(value: number): boolean {
  return !V4_RANGES.some(({ base, mask }) => (value & mask) >>> 0 === base)
}

/** A dotted-decimal IPv4 address as an unsigned 32-bit number (no octal, no short forms). */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  let value = 0
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined
    const octet = Number(part)
    if (octet > 255) return undefined
    value = value * 256 + octet
  }
  return value
}

/** A textual IPv6 address as eight 16-bit groups (`::` and a trailing dotted IPv4 allowed). */
export function parseIpv6(text: string): number[] | undefined {
  let rest = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text
  if (rest.includes('%')) return undefined // zone ids are link-local by nature
  const lastColon = rest.lastIndexOf(':')
  if (lastColon >= 0 && rest.slice(lastColon + 1).includes('.')) {
    // A trailing dotted IPv4 (::ffff:10.0.0.1) stands for the last two groups.
    const v4 = parseIpv4(rest.slice(lastColon + 1))
    if (v4 === undefined) return undefined
    rest = `${rest.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`
  }
  const halves = rest.split('::')
  if (halves.length > 2) return undefined
  const groups = (half: string) => (half === '' ? [] : half.split(':').map(group))
  const head = groups(halves[0] as string)
  const back = halves.length === 2 ? groups(halves[1] as string) : []
  if ([...head, ...back].some(Number.isNaN)) return undefined
  const total = head.length + back.length
  if (halves.length === 1) return total === 8 ? head : undefined
  if (total > 7) return undefined
  return [...head, ...new Array<number>(8 - total).fill(0), ...back]
}

function group(text: string): number {
  return /^[0-9a-fA-F]{1,4}$/.test(text) ? Number.parseInt(text, 16) : Number.NaN
}

function isPublicIpv6(g: number[]): boolean {
  const [a = 0, b = 0] = g
  if (g.every((x) => x === 0)) return false // unspecified ::
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return false // loopback ::1
  // Embedded IPv4: compatible ::a.b.c.d, mapped ::ffff:a.b.c.d, translated ::ffff:0:a.b.c.d,
  // NAT64 64:ff9b::/96 and 64:ff9b:1::/48: refused whatever the IPv4 inside.
  if (g.slice(0, 5).every((x) => x === 0)) return false
  if (a === 0x64 && b === 0xff9b) return false
  if (a === 0x2002) return false // 6to4
  if (a === 0x2001 && b === 0) return false // Teredo
  if (a === 0x2001 && b === 0xdb8) return false // documentation
  if ((a & 0xfe00) === 0xfc00) return false // unique-local fc00::/7
  if ((a & 0xffc0) === 0xfe80) return false // link-local fe80::/10
  if ((a & 0xffc0) === 0xfec0) return false // site-local (deprecated) fec0::/10
  if ((a & 0xff00) === 0xff00) return false // multicast ff00::/8
  if (a === 0x100 && g.slice(1, 4).every((x) => x === 0)) return false // discard 100::/64
  // Only global unicast 2000::/3 is public.
  return (a & 0xe000) === 0x2000
}
