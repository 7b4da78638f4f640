import { OAuthError } from '../errors'
import { mediaType } from './media-type'

/** Every value of every field, in order, so a repeated field can be told apart. */
export type FormFields = ReadonlyMap<string, readonly string[]>

/**
 * A back-channel request's form parameters (token, revocation, introspection endpoints), each
 * present at most once, empty values dropped (routes/parse-form-request.ts).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.2 RFC 6749 §3.2}
 */
export type FormParams = ReadonlyMap<string, string>

/** Our forms carry a few short fields; anything larger is not one of them. */
export const MAX_FORM_BYTES = 64 * 1024

const FORM_TYPE = 'application/x-www-form-urlencoded'

const unreadable = (description: string, status: 400 | 413 | 415) =>
  new OAuthError('invalid_request', description, {
    status,
    page: {
      title: 'Request refused',
      detail: 'The form could not be read.',
      advice: 'Go back, reload the page and send the form again.',
    },
  })

/**
 * Reads the body of a form POST to a browser endpoint (/authorize, /signin, /account,
 * /end_session): `application/x-www-form-urlencoded` in UTF-8 only, the encoding browsers use
 * for our forms and OIDC Core §3.1.2.1 names for a POSTed authorization request. Anything else
 * (multipart, JSON, another charset, bytes that are not UTF-8, a malformed percent-escape, a body
 * over {@link MAX_FORM_BYTES}) is invalid_request with a 4xx, before any state changes
 * (checklist N07).
 * @see {@link https://url.spec.whatwg.org/#application/x-www-form-urlencoded WHATWG URL §5}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16 RFC 9110 §15.5.16}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest OIDC Core §3.1.2.1}
 */
export function parseFormBody(contentType: string | undefined, body: ArrayBuffer): FormFields {
  if (mediaType(contentType) !== FORM_TYPE) {
    throw unreadable('The body must be application/x-www-form-urlencoded', 415)
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(contentType ?? '')?.[1]?.toLowerCase()
  if (charset !== undefined && charset !== 'utf-8') {
    throw unreadable('The body must be encoded in UTF-8', 415)
  }
  if (body.byteLength > MAX_FORM_BYTES) throw unreadable('The body is too large', 413)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body)
  } catch {
    throw unreadable('The body is not valid UTF-8', 400)
  }
  return parseUrlEncoded(text)
}

/**
 * Parses `application/x-www-form-urlencoded` strictly: a malformed percent-escape, or one that
 * decodes to bytes that are not UTF-8, is refused rather than turned into U+FFFD, so a password
 * or a `state` is never silently changed.
 */
export function parseUrlEncoded(text: string): FormFields {
  const fields = new Map<string, string[]>()
  for (const pair of text.split('&')) {
    if (pair === '') continue
    const at = pair.indexOf('=')
    const name = decode(at === -1 ? pair : pair.slice(0, at))
    const value = at === -1 ? '' : decode(pair.slice(at + 1))
    fields.set(name, [...(fields.get(name) ?? []), value])
  }
  return fields
}

function decode(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replaceAll('+', ' '))
  } catch {
    throw unreadable('The body has a malformed percent-encoding', 400)
  }
}
