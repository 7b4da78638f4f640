/** A time as the page shows it, in UTC so the server renders it the same for everyone. */
export function when(seconds: number | null): string {
  if (seconds === null) return 'never'
  return `${new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}
