import type { AppContext } from '../context'
import type { AuthorizationOutcome } from '../steps/authorize/run-authorization'
import { sendAuthorizationResponse } from '../views/authorization-response'
import { sendSignInPage } from './sign-in-page'

/** Sends what the authorization pipeline decided: the response to the client, or sign-in. */
export function sendOutcome(
  c: AppContext,
  outcome: AuthorizationOutcome,
): Response | Promise<Response> {
  if (outcome.kind === 'response') {
    return sendAuthorizationResponse(c, c.get('config').issuer, outcome.target, outcome.params)
  }
  return sendSignInPage(c, { ...outcome, email: outcome.loginHint })
}
