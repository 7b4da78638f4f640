const HEXTET = /^[0-9a-f]{1,4}$/
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/
/** The first six groups of an IPv4-mapped IPv6 address, `::ffff:a.b.c.d`. */
const IPV4_MAPPED = [0, 0, 0, 0, 0, 0xffff]

/**
 * The key under which failures and requests from an address are counted: an IPv4 address as it
 * is, an IPv6 address by its /64 prefix (`2001:db8:0:1::/64`). One subscriber usually holds a
 * whole /64 and can pick any address in it, so counting single IPv6 addresses would give each
 * attacker 2^64 fresh counters. An IPv4-mapped IPv6 address counts as its IPv4 address. Anything
 * that is not an address (a missing header) is kept as it is: it still names one counter.
 * @see {@link https://www.rfc-editor.org/rfc/rfc4291#section-2.5.4 RFC 4291 §2.5.4} (64-bit interface ids)
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.16 RFC 9700 §4.16}
 */
export function addressKey(address: string): string {
  const hextets = ipv6Hextets(address.toLowerCase().replace(/%.*$/, ''))
  if (hextets === undefined) return address
  if (IPV4_MAPPED.every((hextet, i) => hextets[i] === hextet)) {
    // ::ffff:a.b.c.d (RFC 4291 §2.5.5.2) is an IPv4 client seen through a dual stack.
    const [high = 0, low = 0] = hextets.slice(6)
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.')
  }
  return `${hextets
    .slice(0, 4)
    .map((hextet) => hextet.toString(16))
    .join(':')}::/64`
}

/** The eight 16-bit groups of an IPv6 address (RFC 4291 §2.2 text forms), or undefined. */
function ipv6Hextets(text: string): number[] | undefined {
  const halves = text.split('::')
  if (!text.includes(':') || halves.length > 2) return undefined
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')))
  const last = groups[groups.length - 1] ?? []
  const ipv4 = IPV4.exec(last[last.length - 1] ?? '')
  if (ipv4 !== null) {
    const octets = ipv4.slice(1).map(Number)
    if (octets.some((octet) => octet > 255)) return undefined
    const [a = 0, b = 0, c = 0, d = 0] = octets
    last.splice(-1, 1, ((a << 8) | b).toString(16), ((c << 8) | d).toString(16))
  }
  const [head = [], tail = []] = groups
  const missing = 8 - head.length - tail.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  const all = halves.length === 1 ? head : [...head, ...Array(missing).fill('0'), ...tail]
  if (!all.every((group) => HEXTET.test(group))) return undefined
  return all.map((group) => Number.parseInt(group, 16))
}
