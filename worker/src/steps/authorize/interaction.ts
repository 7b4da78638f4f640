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

/** A pending request waits this long on the consent page. */
const CONSENT_TTL_SECONDS = 30 * 60
const CONSENT_PURPOSE = 'consent-request'

/**
 * The pending request of a consent page, sealed with the user it was shown to: the page's
 * answer counts only from a live session of that same user (routes/authorize.ts).
 */
export function sealConsentInteraction(
  deps: Deps,
  request: AuthorizationRequest,
  userId: string,
): Promise<string> {
  return deps.sealed.seal(
    CONSENT_PURPOSE,
    { params: serializeParams(request.params), userId },
    CONSENT_TTL_SECONDS,
  )
}

/** The pending request of a consent page and its user, or undefined (tampered, expired). */
export async function openConsentInteraction(
  deps: Deps,
  sealed: string | undefined,
): Promise<{ request: AuthorizationRequest; userId: string } | undefined> {
  const pending = await deps.sealed.open<{ params: unknown; userId: unknown }>(
    CONSENT_PURPOSE,
    sealed ?? '',
  )
  if (typeof pending?.params !== 'string' || typeof pending.userId !== 'string') return undefined
  return {
    request: readAuthorizationRequest(new URLSearchParams(pending.params)),
    userId: pending.userId,
  }
}
