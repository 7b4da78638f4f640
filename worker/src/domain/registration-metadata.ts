import * as z from 'zod'
import { MAX_URIS_PER_LIST } from './client'
import { hasControlCharacter } from './display-name'
import { redirectUriProblem } from './redirect-uri'
import { parseScope } from './scope'

/** Hosts where plain http is allowed for a client's own URLs (development, RFC 8252 §7.3). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** Grant types a registered client may name (RFC 7591 §2): the authorization-code kind's. */
export const REGISTRABLE_GRANT_TYPES = ['authorization_code', 'refresh_token'] as const

/** The registered metadata of a dynamic client, as stored and echoed (RFC 7591 §3.2.1). */
export interface RegistrationMetadata {
  redirectUris: string[]
  clientName: string
  clientUri: string | null
  logoUri: string | null
  tokenEndpointAuthMethod: 'none' | 'private_key_jwt'
  jwksUri: string | null
  grantTypes: string[]
  responseTypes: string[]
  scope: string | null
}

/** A registration request refused: RFC 7591 §3.2.2's error code and a wire-safe description. */
export interface MetadataRefusal {
  error: 'invalid_redirect_uri' | 'invalid_client_metadata'
  description: string
}

/** An https URL (http on loopback hosts only), at most 2000 characters: `client_uri`, ... */
function webUrl(name: string) {
  return z
    .string()
    .max(2000, `${name} is too long`)
    .refine((value) => {
      try {
        const url = new URL(value)
        if (url.username !== '' || url.password !== '') return false
        return (
          url.protocol === 'https:' ||
          (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))
        )
      } catch {
        return false
      }
    }, `${name} must be an https URL`)
}

const Metadata = z.object({
  redirect_uris: z.array(z.string()).min(1).max(MAX_URIS_PER_LIST),
  client_name: z
    .string()
    .trim()
    .min(1, 'client_name must not be empty')
    .max(200, 'client_name is too long')
    .refine((v) => !hasControlCharacter(v), 'client_name must not contain control characters')
    .optional(),
  client_uri: webUrl('client_uri').optional(),
  logo_uri: webUrl('logo_uri').optional(),
  token_endpoint_auth_method: z
    .enum(['none', 'private_key_jwt'], {
      message: 'token_endpoint_auth_method must be none or private_key_jwt',
    })
    .default('none'),
  jwks_uri: webUrl('jwks_uri').optional(),
  jwks: z.unknown().optional(),
  grant_types: z
    .array(
      z.enum(REGISTRABLE_GRANT_TYPES, {
        message: 'grant_types may hold authorization_code and refresh_token only',
      }),
    )
    .min(1)
    .default(['authorization_code']),
  response_types: z.array(z.string()).default(['code']),
  scope: z.string().max(1000, 'scope is too long').optional(),
})

/**
 * Validates a registration request's metadata (RFC 7591 §2). Understood: `redirect_uris` (the
 * rules of every client, domain/redirect-uri.ts), `client_name`, `client_uri`, `logo_uri`,
 * `token_endpoint_auth_method` (`none`, the default here since this server never issues a
 * dynamic client a secret, or `private_key_jwt` with an https `jwks_uri`), `grant_types`
 * (authorization_code, refresh_token), `response_types` (code), `scope`. Inline `jwks` is
 * refused: keys behind `jwks_uri` can rotate without an RFC 7592 update, which this server does
 * not offer. Anything else (contacts, tos_uri, software_statement, ...) is ignored, as §2 and
 * §3.1.1 allow, and so left out of the answer.
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-2 RFC 7591 §2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3.2.2 RFC 7591 §3.2.2}
 */
export function parseRegistrationMetadata(
  body: unknown,
): { ok: true; metadata: RegistrationMetadata } | { ok: false; refusal: MetadataRefusal } {
  const refuse = (error: MetadataRefusal['error'], description: string) =>
    ({ ok: false, refusal: { error, description } }) as const
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return refuse('invalid_client_metadata', 'The request body must be a JSON object')
  }
  const parsed = Metadata.safeParse(body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = String(issue?.path[0] ?? 'metadata')
    if (field === 'redirect_uris') {
      return refuse('invalid_redirect_uri', 'redirect_uris must be 1 to 10 URLs')
    }
    const message = issue?.message ?? ''
    // Only our own messages (ASCII, naming the field) go on the wire; zod's defaults do not.
    return refuse(
      'invalid_client_metadata',
      message.startsWith(field) ? message : `${field} is not valid`,
    )
  }
  const m = parsed.data
  for (const uri of m.redirect_uris) {
    const problem = redirectUriProblem(uri)
    if (problem !== undefined) {
      return refuse(
        'invalid_redirect_uri',
        `Each redirect URI ${problem.replace(/[^\x20-\x7E]/g, '')}`,
      )
    }
  }
  if (m.jwks !== undefined) {
    return refuse('invalid_client_metadata', 'jwks is not accepted: use jwks_uri')
  }
  if (m.token_endpoint_auth_method === 'private_key_jwt' && m.jwks_uri === undefined) {
    return refuse('invalid_client_metadata', 'private_key_jwt requires jwks_uri')
  }
  if (m.token_endpoint_auth_method === 'none' && m.jwks_uri !== undefined) {
    return refuse('invalid_client_metadata', 'jwks_uri is only for private_key_jwt')
  }
  if (m.response_types.length !== 1 || m.response_types[0] !== 'code') {
    return refuse('invalid_client_metadata', 'response_types must hold code only')
  }
  if (!m.grant_types.includes('authorization_code')) {
    return refuse('invalid_client_metadata', 'grant_types must include authorization_code')
  }
  if (m.scope !== undefined && !parseScope(m.scope).ok) {
    return refuse('invalid_client_metadata', 'scope is not a valid scope string')
  }
  return {
    ok: true,
    metadata: {
      redirectUris: [...new Set(m.redirect_uris)],
      clientName: m.client_name ?? new URL(m.redirect_uris[0] ?? '').host,
      clientUri: m.client_uri ?? null,
      logoUri: m.logo_uri ?? null,
      tokenEndpointAuthMethod: m.token_endpoint_auth_method,
      jwksUri: m.jwks_uri ?? null,
      grantTypes: [...new Set(m.grant_types)],
      responseTypes: ['code'],
      scope: m.scope ?? null,
    },
  }
}
