import type { AppContext } from '../context'
import type { AuthorizationOutcome } from '../steps/authorize/run-authorization'
import { sendAuthorizationResponse } from '../views/authorization-response'
import { sendConsentPage } from './consent-page'
import { sendSignInPage } from './sign-in-page'

/** Sends what the authorization pipeline decided: the response to the client, sign-in, consent. */
export function sendOutcome(
  c: AppContext,
  outcome: AuthorizationOutcome,
): Response | Promise<Response> {
  if (outcome.kind === 'response') {
    return sendAuthorizationResponse(c, c.get('config').issuer, outcome.target, outcome.params)
  }
  if (outcome.kind === 'consent') return sendConsentPage(c, outcome)
  return sendSignInPage(c, { ...outcome, email: outcome.loginHint })
}
