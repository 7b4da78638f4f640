import type * as z from 'zod'
import type { FieldError } from '../errors'

/**
 * One RFC 9457 field error per zod issue, located by a JSON Pointer into the request body
 * (RFC 6901), so a form can show each message next to its field.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9457 RFC 9457}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6901 RFC 6901}
 */
export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    pointer: `#/${issue.path.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`,
    detail: issue.message,
  }))
}
