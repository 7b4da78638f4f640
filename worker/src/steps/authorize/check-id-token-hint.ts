import { errors, type JWTPayload } from 'jose'
import type { Deps } from '../../deps'
import { OAuthError } from '../../errors'

/**
 * `id_token_hint`: an ID token this server issued to this client, possibly expired (OIDC Core
 * §3.1.2.1 says the OP should still accept it). Answers its subject; a hint that is not ours, or
 * not for this client, is invalid_request (checklist H08).
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest OIDC Core §3.1.2.1}
 */
export async function checkIdTokenHint(
  deps: Deps,
  hint: string | undefined,
  clientId: string,
): Promise<string | undefined> {
  if (hint === undefined) return undefined
  const payload = await verifyOwnIdToken(deps, hint)
  const audience = Array.isArray(payload?.aud) ? payload.aud : [payload?.aud]
  if (payload === undefined || typeof payload.sub !== 'string' || !audience.includes(clientId)) {
    throw new OAuthError('invalid_request', 'id_token_hint is not a valid ID token for this client')
  }
  return payload.sub
}

/** The claims of an ID token signed by this server (expired or not), or undefined. */
export async function verifyOwnIdToken(deps: Deps, token: string): Promise<JWTPayload | undefined> {
  const { config, keyring, db } = deps
  try {
    const { payload } = await keyring.verify(db, token, {
      issuer: config.issuer,
      typ: 'JWT',
      algorithms: ['RS256'],
      currentDate: new Date(deps.now() * 1000),
    })
    return payload
  } catch (error) {
    // Expired is fine for a hint: the signature and issuer were checked before the expiry.
    if (error instanceof errors.JWTExpired && error.payload.iss === config.issuer)
      return error.payload
    return undefined
  }
}
