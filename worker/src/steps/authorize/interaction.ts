import type { Deps } from '../../deps'
import {
  type AuthorizationRequest,
  readAuthorizationRequest,
  serializeParams,
} from './authorization-request'

/** A pending authorization request waits this long on the sign-in page. */
const INTERACTION_TTL_SECONDS = 30 * 60
const INTERACTION_PURPOSE = 'authorization-request'

/**
 * The pending request, sealed (HMAC, with an expiry) into the sign-in form, so it resumes
 * after sign-in exactly as it was sent and cannot be edited on the way.
 */
export function sealInteraction(deps: Deps, request: AuthorizationRequest): Promise<string> {
  return deps.sealed.seal(
    INTERACTION_PURPOSE,
    serializeParams(request.params),
    INTERACTION_TTL_SECONDS,
  )
}

/** The pending request of a sign-in form, or undefined when tampered with or expired. */
export async function openInteraction(
  deps: Deps,
  sealed: string | undefined,
): Promise<AuthorizationRequest | undefined> {
  const pending = await deps.sealed.open<string>(INTERACTION_PURPOSE, sealed ?? '')
  return typeof pending === 'string'
    ? readAuthorizationRequest(new URLSearchParams(pending))
    : undefined
}
