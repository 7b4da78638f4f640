// The browser's own checks of what the API would refuse, with the server's own rules: the
// worker's pure domain modules (no imports, no runtime) are bundled as they are, so the URL and
// lifetime rules are written once.
import {
  ACCESS_TOKEN_LIFETIME_MAX_SECONDS,
  ACCESS_TOKEN_LIFETIME_MIN_SECONDS,
} from '../../../worker/src/domain/client'
import { corsOriginProblem, redirectUriProblem } from '../../../worker/src/domain/redirect-uri'
import type { FieldError } from './api'
import { InvalidInput, lines } from './ui/form'

export const LIFETIME_MIN = ACCESS_TOKEN_LIFETIME_MIN_SECONDS
export const LIFETIME_MAX = ACCESS_TOKEN_LIFETIME_MAX_SECONDS

/** Collects field errors (JSON Pointers like the API's) and throws them together. */
export function createChecks() {
  const errors: FieldError[] = []
  const add = (pointer: string, detail: string) => errors.push({ pointer, detail })
  return {
    required(field: string, value: string) {
      if (value.trim() === '') add(`#/${field}`, 'Required')
    },
    lifetime(field: string, text: string) {
      const value = Number(text)
      if (text.trim() === '' || !Number.isInteger(value))
        add(`#/${field}`, 'Enter a whole number of seconds')
      else if (value < LIFETIME_MIN || value > LIFETIME_MAX)
        add(`#/${field}`, `Must be between ${LIFETIME_MIN} and ${LIFETIME_MAX} seconds`)
    },
    urls(field: string, text: string, o: { origins?: boolean; required?: boolean } = {}) {
      const values = lines(text)
      if (o.required && values.length === 0) add(`#/${field}`, 'At least one URL is required')
      const problem = o.origins ? corsOriginProblem : redirectUriProblem
      values.forEach((value, index) => {
        const message = problem(value)
        if (message !== undefined) add(`#/${field}/${index}`, `${value} ${message}`)
      })
    },
    /** Throws the errors found, if any. */
    done() {
      if (errors.length > 0) throw new InvalidInput(errors)
    },
  }
}

/** The date input's value one year from today (a new secret's default expiration). */
export function oneYearAhead(now = new Date()): string {
  const date = new Date(now)
  date.setFullYear(date.getFullYear() + 1)
  return localDay(date)
}

/** A date as the date input's value (YYYY-MM-DD), in local time like the input shows it. */
export function localDay(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** A secret's expiration for the API: null when it never expires, else the end of the day. */
export function expirationOf(date: string, never: boolean): string | null | undefined {
  if (never) return null
  if (!date) return undefined
  return new Date(`${date}T23:59:59`).toISOString()
}
