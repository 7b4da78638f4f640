// Before any load: each system must answer the token request with 200 and an ES256 `at+jwt`
// (otherwise we would measure error paths). Also reads ours' `Server-Timing: d1;desc="N round
// trips"` (exposed outside production) for a first and a steady-state request.

function decodeSegment(segment) {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
}

async function once(url, request) {
  const response = await fetch(url, request)
  const text = await response.text()
  let token
  try {
    token = JSON.parse(text).access_token
  } catch {
    // Reported below with the body.
  }
  if (response.status !== 200 || typeof token !== 'string') {
    throw new Error(`${url} answered ${response.status}: ${text.slice(0, 300)}`)
  }
  const [header, payload] = token.split('.')
  return {
    header: decodeSegment(header),
    claims: Object.keys(decodeSegment(payload)).sort(),
    serverTiming: response.headers.get('server-timing'),
  }
}

/** Two requests; answers what a report needs, or throws naming what is wrong. */
export async function checkSystem(url, request) {
  const first = await once(url, request)
  const second = await once(url, request)
  if (second.header.alg !== 'ES256' || second.header.typ?.toLowerCase() !== 'at+jwt') {
    throw new Error(`${url} signed ${JSON.stringify(second.header)}, expected ES256 at+jwt`)
  }
  const roundTrips = (timing) => /d1;desc="(\d+) round trips?"/.exec(timing ?? '')?.[1] ?? '-'
  return {
    header: second.header,
    claims: second.claims,
    d1First: roundTrips(first.serverTiming),
    d1Steady: roundTrips(second.serverTiming),
  }
}
