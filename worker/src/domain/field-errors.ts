import type { z } from 'zod'
import type { FieldError } from '../errors'

/**
 * One RFC 9457 field error per zod issue, located by a JSON Pointer into the request body
 * (RFC 6901), so a form can show each message next to its field.
 */
export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    pointer: `#/${issue.path.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`,
    detail: issue.message,
  }))
}
