import type { FormParams } from '../domain/form-body'
import { mediaType } from '../domain/media-type'
import { describeParameter } from '../domain/parameter-name'
import { OAuthError } from '../errors'

/** Larger bodies are refused before parsing: no legitimate token request comes close. */
const MAX_BODY_BYTES = 16 * 1024

/**
 * Reads a back-channel request body (token, revocation, introspection endpoints): POST only,
 * `application/x-www-form-urlencoded` only (checklist D09), every parameter at most once.
 * Empty values count as omitted.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.2 RFC 6749 §3.2}
 */
export async function parseFormRequest(request: Request): Promise<FormParams> {
  return (await readForm(request, false)).params
}

/**
 * {@link parseFormRequest} for the token endpoint, where `resource` alone may be sent more than
 * once (RFC 8707 §2): its values, in order, apart from the other parameters.
 * @see {@link https://www.rfc-editor.org/rfc/rfc8707#section-2 RFC 8707 §2}
 */
export function parseTokenFormRequest(
  request: Request,
): Promise<{ params: FormParams; resources: string[] }> {
  return readForm(request, true)
}

async function readForm(
  request: Request,
  withResources: boolean,
): Promise<{ params: FormParams; resources: string[] }> {
  if (request.method !== 'POST') {
    throw new OAuthError('invalid_request', 'Use POST', { status: 405, headers: { Allow: 'POST' } })
  }
  if (mediaType(request.headers.get('Content-Type')) !== 'application/x-www-form-urlencoded') {
    throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded')
  }
  // Refused before reading when the length is announced, and after reading otherwise.
  const announced = Number(request.headers.get('Content-Length') ?? 0)
  const body = announced > MAX_BODY_BYTES ? '' : await request.text()
  if (announced > MAX_BODY_BYTES || body.length > MAX_BODY_BYTES) {
    throw new OAuthError('invalid_request', 'The request body is too large', { status: 413 })
  }
  const params = new Map<string, string>()
  const resources: string[] = []
  for (const [name, value] of new URLSearchParams(body)) {
    if (withResources && name === 'resource') {
      if (value !== '') resources.push(value)
      continue
    }
    if (params.has(name)) {
      throw new OAuthError('invalid_request', `Parameter ${describeParameter(name)} is repeated`)
    }
    if (value !== '') params.set(name, value)
  }
  return { params, resources }
}
