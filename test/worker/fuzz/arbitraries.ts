import fc from 'fast-check'

/**
 * Values no endpoint should trust: markup and attribute break-outs (the reflected-script markers
 * of invariants.ts), control characters, percent and quote games, long strings, unicode.
 */
export const HOSTILE_STRINGS = [
  '"><script>alert(1)</script>',
  "'><script>alert(1)</script>",
  '<img src=x onerror=alert(1)>',
  '<svg/onload=alert(1)>',
  '</title><iframe src=//evil.example>',
  'x" fuzz-breakout="1',
  "x' fuzz-breakout='1",
  'javascript:fuzz(1)',
  '\r\nSet-Cookie: fuzz=1',
  'line\nbreak\ttab\0nul',
  '%00%0d%0a%22%3Cscript%3E',
  '%ZZ%',
  '\\u0000\\"',
  '../../../../etc/passwd',
  "' OR 1=1 --",
  '{"$gt":""}',
  'null',
  '-1',
  '1e309',
  '\uFEFF\u202Eevil\u200B',
  '😀'.repeat(50),
  '\uD800',
  'A'.repeat(5000),
  ' ',
]

/** A string that is hostile in one of many ways. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 10 }))
      .map(([a, b]) => `${b}${a}${b}`),
  },
)

/** A parameter value: mostly the given valid ones, often hostile, sometimes empty. */
export function paramValue(...valid: readonly string[]): fc.Arbitrary<string> {
  return valid.length === 0
    ? fc.oneof(hostileString, fc.constant(''))
    : fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...valid) },
        { weight: 2, arbitrary: hostileString },
        { weight: 1, arbitrary: fc.constant('') },
      )
}

/** Parameters as (name, value) pairs: each given one optional, repeated sometimes, plus strays. */
export function paramList(
  fields: Record<string, fc.Arbitrary<string>>,
): fc.Arbitrary<[string, string][]> {
  const entries = Object.entries(fields).map(([name, value]) =>
    fc
      .tuple(fc.nat({ max: 9 }), value, value)
      // 0: absent (10%), 1: repeated (10%), else once.
      .map(([roll, first, second]): [string, string][] =>
        roll === 0
          ? []
          : roll === 1
            ? [
                [name, first],
                [name, second],
              ]
            : [[name, first]],
      ),
  )
  const strays = fc.array(fc.tuple(hostileString, hostileString), { maxLength: 2 })
  return fc.tuple(fc.tuple(...entries), strays).map(([lists, extra]) => [...lists.flat(), ...extra])
}

/** How a parameter list is written: usually a proper query string, sometimes raw and broken. */
export function encodeParams(pairs: [string, string][], raw: boolean): string {
  if (!raw) return new URLSearchParams(pairs).toString()
  // Unencoded: `&`, `=`, `%`, `#` and `+` inside values break the structure on purpose.
  return pairs.map(([name, value]) => `${name}=${value}`).join('&')
}

/** A request body and its Content-Type: right, wrong, malformed, or missing. */
export interface BodyShape {
  contentType: string | undefined
  body: string | undefined
}

export function bodyFor(form: string): fc.Arbitrary<BodyShape> {
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.constant({ contentType: 'application/x-www-form-urlencoded', body: form }),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          'application/x-www-form-urlencoded; charset=utf-8',
          'APPLICATION/X-WWW-FORM-URLENCODED',
          'application/x-www-form-urlencoded;;;',
        )
        .map((contentType) => ({ contentType, body: form })),
    },
    {
      weight: 1,
      arbitrary: fc.constant({
        contentType: 'application/json',
        body: JSON.stringify(Object.fromEntries(new URLSearchParams(form))),
      }),
    },
    { weight: 1, arbitrary: malformedBody },
  )
}

/** Bodies that break their own Content-Type. */
export const malformedBody: fc.Arbitrary<BodyShape> = fc.oneof(
  fc.constant({ contentType: 'application/json', body: '{"name": ' }),
  fc.constant({ contentType: 'application/json', body: '[1,2' }),
  fc.constant({ contentType: 'application/json', body: 'null' }),
  fc.constant({ contentType: 'application/json', body: '"just a string"' }),
  fc.constant({ contentType: 'application/json', body: '\uFEFF{}' }),
  fc.constant({
    contentType: 'multipart/form-data; boundary=fuzz',
    body: '--fuzz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n',
  }),
  fc.constant({ contentType: 'multipart/form-data', body: 'no boundary at all' }),
  fc.constant({ contentType: 'multipart/form-data; boundary=x', body: '--y\r\n\r\n--y--' }),
  fc.constant({ contentType: 'application/x-www-form-urlencoded', body: '%%%&&&===%E0%A4%A' }),
  fc.constant({ contentType: 'application/x-www-form-urlencoded', body: 'a=1&a=2&a' }),
  fc.constant({ contentType: 'text/plain', body: 'grant_type=client_credentials' }),
  fc.constant({ contentType: 'application/xml', body: '<?xml version="1.0"?><a/>' }),
  fc.constant({ contentType: 'application/x-www-form-urlencoded', body: `x=${'y'.repeat(20000)}` }),
  fc.constant({ contentType: undefined, body: 'grant_type=client_credentials' }),
  fc.constant({ contentType: 'application/x-www-form-urlencoded', body: undefined }),
  hostileString.map((body) => ({ contentType: 'application/x-www-form-urlencoded', body })),
  hostileString.map((contentType) => ({ contentType: headerSafe(contentType), body: 'a=b' })),
)

/** Authorization header values that are not what they claim. */
export const garbageAuthorization: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'Bearer  two  spaces',
    'bearer lower.case.token',
    'Bearer a.b.c',
    'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
    'Basic',
    'Basic !!!',
    'Basic Og==',
    `Basic ${btoa('only-user')}`,
    `Basic ${btoa('%ZZ:%ZZ')}`,
    `Basic ${btoa(':')}`,
    'DPoP a.b.c',
    'Negotiate abc',
    `Bearer ${'A'.repeat(9000)}`,
    'Bearer x, Bearer y',
  ),
  hostileString.map((value) => `Bearer ${headerSafe(value)}`),
  hostileString.map((value) => `Basic ${headerSafe(value)}`),
)

/** Methods: the endpoint's own and the others. */
export function method(own: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...own) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
    },
  )
}

/** A header value the Headers API accepts (no CR, LF or NUL; Latin-1 only). */
export function headerSafe(value: string): string {
  return value.replace(/[\r\n\0]/g, '').replace(/[^\x20-\x7E\t]/g, '?')
}

/** A client address, from a small pool so per-address limits are met too. */
export const clientIp: fc.Arbitrary<string> = fc
  .integer({ min: 1, max: 40 })
  .map((n) => `198.51.100.${n}`)

/** `encodeURIComponent` that accepts lone surrogates (as U+FFFD, the way URL parsers do). */
export function encodeSegment(value: string): string {
  return encodeURIComponent(value.replace(/\p{Cs}/gu, '\uFFFD'))
}
