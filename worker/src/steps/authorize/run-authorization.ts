import { getCookie } from 'hono/cookie'
import type { AppContext } from '../../context'
import { sha256 } from '../../crypto/hash'
import { SESSION_COOKIE_NAME } from '../../domain/session'
import { OAuthError } from '../../errors'
import { findClientByIdStatement, readClient } from '../../storage/clients'
import { nowSeconds } from '../../storage/db'
import { findLiveSessionStatement, readSession, type SessionWithUser } from '../../storage/sessions'
import { AuthorizePageError } from './authorize-errors'
import { checkClient } from './check-client'
import { checkIdTokenHint } from './check-id-token-hint'
import { checkPkce } from './check-pkce'
import { checkMaxAge, checkPrompt } from './check-prompt'
import { checkRedirectUri } from './check-redirect-uri'
import { checkRepeated } from './check-repeated'
import { checkResponseType, requestedResponseMode } from './check-response-type'
import { checkScope } from './check-scope'
import { decideAuthentication } from './decide-authentication'
import { issueAuthorizationResponse } from './issue-authorization-response'
import { errorPage, signInPage } from './pages'
import { type AuthorizationParams, REPEATED, single } from './read-authorization-params'
import { type ResponseTarget, respond, respondWithError } from './respond'

/** A value of a parameter already known to appear at most once. */
const value = (params: AuthorizationParams, name: string) => params.get(name)?.[0]

/**
 * The authorization endpoint's pipeline (RFC 6749 §4.1.1, OIDC Core §3.1.2), shared by
 * GET/POST /authorize and by the sign-in form when it resumes a request:
 * client and session in one D1 batch -> client -> redirect URI (until here, errors are a page) ->
 * response type and mode -> repeated parameters -> scope -> PKCE -> prompt, max_age, nonce,
 * id_token_hint -> session or sign-in -> code (and ID token) in one more batch -> response.
 */
export async function runAuthorization(
  c: AppContext,
  params: AuthorizationParams,
  signedIn?: SessionWithUser,
): Promise<Response> {
  const now = nowSeconds()
  const db = c.get('db')
  const clientId = single(params, 'client_id')
  const cookie = signedIn === undefined ? getCookie(c, SESSION_COOKIE_NAME, 'host') : undefined
  const [clientResult, sessionResult] = await db.batch([
    findClientByIdStatement(db, typeof clientId === 'string' ? clientId : ''),
    ...(cookie === undefined ? [] : [findLiveSessionStatement(db, await sha256(cookie), now)]),
  ])

  let target: ResponseTarget
  let client: ReturnType<typeof checkClient>
  let redirect: ReturnType<typeof checkRedirectUri>
  try {
    client = checkClient(params, readClient(clientResult))
    redirect = checkRedirectUri(params, client)
    const state = single(params, 'state')
    target = {
      redirectUri: redirect.redirectUri,
      responseMode: requestedResponseMode(params),
      state: state === REPEATED ? undefined : state,
    }
  } catch (error) {
    if (error instanceof AuthorizePageError) return errorPage(c, error)
    throw error
  }

  try {
    const { responseType, responseMode } = checkResponseType(params, client)
    target.responseMode = responseMode
    checkRepeated(params)
    const scope = checkScope(value(params, 'scope'), client)
    const codeChallenge = checkPkce(
      value(params, 'code_challenge'),
      value(params, 'code_challenge_method'),
      client,
    )
    const prompt = checkPrompt(value(params, 'prompt'))
    const maxAge = checkMaxAge(value(params, 'max_age'))
    const nonce = value(params, 'nonce')
    if (responseType === 'code id_token' && nonce === undefined) {
      // OIDC Core §3.3.2.11: the nonce is REQUIRED when an ID token comes from the front channel.
      throw new OAuthError('invalid_request', 'nonce is required with response_type code id_token')
    }
    const hintSubject = await checkIdTokenHint(c, value(params, 'id_token_hint'), client.id)

    const decision = decideAuthentication({
      session: signedIn ?? readSession(sessionResult),
      fresh: signedIn !== undefined,
      tenantId: client.tenantId,
      prompt,
      maxAge,
      hintSubject,
      now,
    })
    if (decision.kind === 'sign-in') {
      // OIDC Core §3.1.2.6: with prompt=none the answer is a redirect, never a page (H01, H11).
      if (prompt.has('none')) throw new OAuthError('login_required', 'The user must sign in')
      return signInPage(c, params, client, redirect.redirectUri, value(params, 'login_hint'))
    }
    const response = await issueAuthorizationResponse(
      c,
      { client, redirect, responseType, scope, nonce, codeChallenge },
      decision.session,
      now,
    )
    return respond(c, target, response)
  } catch (error) {
    if (error instanceof OAuthError) return respondWithError(c, target, error)
    throw error
  }
}
