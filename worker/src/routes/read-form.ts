import type { Context } from 'hono'
import { type FormFields, MAX_FORM_BYTES, parseFormBody } from '../domain/form-body'
import { OAuthError } from '../errors'

/**
 * The form body of a POST to a browser endpoint, read once and strictly (domain/form-body.ts):
 * a body it cannot read is a 4xx, before any step runs (checklist N07). A declared length over
 * the limit is refused before the body is read.
 */
export async function readForm(c: Context): Promise<FormFields> {
  const declared = Number(c.req.header('Content-Length') ?? 0)
  if (declared > MAX_FORM_BYTES) {
    throw new OAuthError('invalid_request', 'The body is too large', {
      status: 413,
      page: { title: 'Request refused', detail: 'The form could not be read.' },
    })
  }
  return parseFormBody(c.req.header('Content-Type'), await c.req.arrayBuffer())
}

/** The value of a form field sent once; undefined when absent or repeated. */
export function formField(fields: FormFields, name: string): string | undefined {
  const values = fields.get(name)
  return values?.length === 1 ? values[0] : undefined
}

/** The query of a GET to a browser endpoint, in the shape of a form (lenient, as URLs are). */
export function queryFields(url: string): FormFields {
  const fields = new Map<string, string[]>()
  for (const [name, value] of new URL(url).searchParams) {
    fields.set(name, [...(fields.get(name) ?? []), value])
  }
  return fields
}
