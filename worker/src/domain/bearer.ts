/** RFC 6750 §2.1: `Authorization: Bearer <b64token>`. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i

/** The token of a Bearer Authorization header, or undefined. */
export function readBearer(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header)?.[1]
}
