/** Unix seconds as the ISO 8601 date-time the API speaks. */
export function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString()
}

/** An ISO 8601 expiration (or null, or omitted for the default) as unix seconds or null. */
export function expirationSeconds(
  value: string | null | undefined,
  now: number,
  defaultLifetimeSeconds: number,
): number | null {
  if (value === null) return null
  if (value === undefined) return now + defaultLifetimeSeconds
  return Math.floor(Date.parse(value) / 1000)
}
