import type { Deps } from '../deps'
import type { Client } from '../domain/client'
import { findClientById } from '../storage/clients'
import type { AuthorizationRequest } from './authorize/authorization-request'
import { authorizePageErrors } from './authorize/authorize-errors'
import { checkRedirectUri } from './authorize/check-redirect-uri'
import { openInteraction } from './authorize/interaction'

/** A sign-in for the account page (re-authentication) waits this long. */
const ACCOUNT_SIGN_IN_TTL_SECONDS = 30 * 60
const ACCOUNT_SIGN_IN_PURPOSE = 'account-sign-in'

/** Where a sign-in form leads once the user is signed in. */
export type SignInTarget =
  | {
      kind: 'authorize'
      tenantId: string
      request: AuthorizationRequest
      client: Client
      redirectUri: string
    }
  | { kind: 'account'; tenantId: string }

/** The sealed interaction of a sign-in that returns to the account page of a tenant. */
export function sealAccountSignIn(deps: Deps, tenantId: string): Promise<string> {
  return deps.sealed.seal(ACCOUNT_SIGN_IN_PURPOSE, tenantId, ACCOUNT_SIGN_IN_TTL_SECONDS)
}

/**
 * What a sign-in form's sealed `interaction` leads to: a pending authorization request of an
 * enabled client, with its redirect URI checked again (an administrator may have changed the
 * client since the page was shown), or the account page of a tenant. Anything else (tampered,
 * expired) throws the "Sign-in expired" page.
 */
export async function openSignInTarget(
  deps: Deps,
  sealed: string | undefined,
): Promise<SignInTarget> {
  const tenantId = await deps.sealed.open<string>(ACCOUNT_SIGN_IN_PURPOSE, sealed ?? '')
  if (typeof tenantId === 'string') return { kind: 'account', tenantId }
  const request = await openInteraction(deps, sealed)
  if (request === undefined) throw authorizePageErrors.signInExpired()
  const client = await findClientById(deps.db, request.clientId ?? '')
  if (client === null || !client.enabled) throw authorizePageErrors.signInExpired()
  const { redirectUri } = checkRedirectUri(request, client)
  return { kind: 'authorize', tenantId: client.tenantId, request, client, redirectUri }
}
