import { sha256 } from '../../crypto/hash'
import type { Deps } from '../../deps'
import { assertMaxLength } from '../../domain/assert-parameter'
import { ACCOUNT_ADMINISTRATOR } from '../../domain/built-in-roles'
import { isThirdParty } from '../../domain/client'
import { isMetadataDocumentClientId } from '../../domain/metadata-document'
import type { RedirectTarget } from '../../domain/redirect-uri'
import { checkResourceIndicators } from '../../domain/resource'
import { OAuthError } from '../../errors'
import { findClientByIdStatement, readClient } from '../../storage/clients'
import { findLiveSessionStatement, readSession, type SessionWithUser } from '../../storage/sessions'
import { resolveResources } from '../resolve-resources'
import type { AuthorizationRequest } from './authorization-request'
import { checkClient, loadMetadataDocumentClient } from './check-client'
import { checkDpopJkt } from './check-dpop-jkt'
import { checkIdTokenHint } from './check-id-token-hint'
import { checkPkce } from './check-pkce'
import { checkMaxAge, checkPrompt } from './check-prompt'
import { checkRedirectUri } from './check-redirect-uri'
import { checkRepeated } from './check-repeated'
import { checkResponseType, requestedResponseMode } from './check-response-type'
import { checkScope } from './check-scope'
import { type ConsentPage, consentPage } from './consent-page'
import { decideAuthentication } from './decide-authentication'
import { type ConsentAnswer, decideConsent } from './decide-consent'
import { sealInteraction } from './interaction'
import { issueAuthorizationResponse } from './issue-authorization-response'

/** `state` and `nonce` are reflected (in the response, in the ID token): at most this long (N09). */
export const MAX_REFLECTED_LENGTH = 512

/**
 * Who the browser is: its session cookie's secret, or the session the sign-in form just made, or
 * the session that answered the consent page (with its answer).
 */
export type Browser =
  | { sessionSecret: string | undefined }
  | { signedIn: SessionWithUser; consent?: ConsentAnswer }

/** What the route sends: the response at the client's redirect URI, or the sign-in form. */
export type AuthorizationOutcome =
  | { kind: 'response'; target: RedirectTarget; params: Record<string, string> }
  | {
      kind: 'sign-in'
      clientName: string
      /** The pending request, sealed, for the form to carry (steps/authorize/interaction.ts). */
      interaction: string
      redirectUri: string
      loginHint: string | undefined
    }
  | ({ kind: 'consent' } & ConsentPage)

/**
 * The authorization endpoint's pipeline (RFC 6749 §4.1.1, OIDC Core §3.1.2), shared by
 * GET/POST /authorize and by the sign-in form when it resumes a request:
 * client and session in one D1 batch -> client -> redirect URI (until here, errors are a page) ->
 * response type and mode -> repeated parameters -> state, nonce length -> resources -> scope -> PKCE ->
 * dpop_jkt -> prompt, max_age, nonce, id_token_hint -> session or sign-in -> consent (third-party
 * clients only: steps/authorize/decide-consent.ts) -> code (and ID token)
 * in one more batch. Errors are thrown; from the verified redirect URI on they carry it (`sendTo`), so the
 * one error handler (middleware/render-error.tsx) redirects them there.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 RFC 6749 §4.1.2.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1 RFC 6749 §4.1.1}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#AuthorizationEndpoint
 *   OIDC Core §3.1.2}
 */
export async function runAuthorization(
  deps: Deps,
  request: AuthorizationRequest,
  browser: Browser,
): Promise<AuthorizationOutcome> {
  const { db, replica } = deps
  const now = deps.now()
  const secret = 'sessionSecret' in browser ? browser.sessionSecret : undefined
  // A client_id that is a URL names a client ID metadata document: fetched or refreshed first, on
  // the primary, and then read from it (a replica may not have the row yet). Any other client's
  // metadata may come from a read replica (a change reaches it a moment later); the browser's
  // session from the primary, at the same time, so a sign-out takes effect at once.
  await loadMetadataDocumentClient(deps, request.clientId)
  const clientDb = isMetadataDocumentClientId(request.clientId) ? db : replica
  const [[clientResult], [sessionResult]] = await Promise.all([
    clientDb.batch([findClientByIdStatement(clientDb, request.clientId ?? '')]),
    secret === undefined
      ? [undefined]
      : db.batch([findLiveSessionStatement(db, await sha256(secret), now)]),
  ])
  const client = checkClient(request, readClient(clientResult))
  const redirect = checkRedirectUri(request, client)
  let target: RedirectTarget = {
    redirectUri: redirect.redirectUri,
    responseMode: requestedResponseMode(request),
    // An overlong state is refused below, and not reflected in that refusal.
    state: (request.state?.length ?? 0) <= MAX_REFLECTED_LENGTH ? request.state : undefined,
  }

  try {
    const { responseType, responseMode } = checkResponseType(request, client)
    target = { ...target, responseMode }
    checkRepeated(request)
    assertMaxLength(request.state, 'state', MAX_REFLECTED_LENGTH)
    assertMaxLength(request.nonce, 'nonce', MAX_REFLECTED_LENGTH)
    // RFC 8707 §2: unknown, malformed or disallowed resources are invalid_target, redirected.
    const resources =
      request.resources.length === 0
        ? []
        : await resolveResources(deps, client, checkResourceIndicators(request.resources), {
            managementApi: client.roleIds.includes(ACCOUNT_ADMINISTRATOR),
          })
    const scope = checkScope(request.scope, client, responseType, resources)
    const codeChallenge = checkPkce(request.codeChallenge, request.codeChallengeMethod, client)
    const dpopJkt = checkDpopJkt(request.dpopJkt)
    const prompt = checkPrompt(request.prompt)
    const maxAge = checkMaxAge(request.maxAge)
    const nonce = request.nonce
    if (responseType === 'code id_token' && nonce === undefined) {
      // OIDC Core §3.3.2.11: the nonce is REQUIRED when an ID token comes from the front channel.
      throw new OAuthError('invalid_request', 'nonce is required with response_type code id_token')
    }
    const hintSubject = await checkIdTokenHint(deps, request.idTokenHint, client.id)

    const decision = decideAuthentication({
      session: 'signedIn' in browser ? browser.signedIn : readSession(sessionResult),
      fresh: 'signedIn' in browser,
      tenantId: client.tenantId,
      prompt,
      maxAge,
      hintSubject,
      now,
    })
    if (decision.kind === 'sign-in') {
      // OIDC Core §3.1.2.6: with prompt=none the answer is a redirect, never a page (H01, H11).
      if (prompt.has('none')) throw new OAuthError('login_required', 'The user must sign in')
      return {
        kind: 'sign-in',
        clientName: client.name,
        interaction: await sealInteraction(deps, request),
        redirectUri: redirect.redirectUri,
        loginHint: request.loginHint,
      }
    }
    if (isThirdParty(client)) {
      // Third-party clients ask the user (issue 17); the administrator's own clients never do.
      const consent = await decideConsent(deps, {
        client,
        userId: decision.session.userId,
        scope,
        resources: resources.map((resource) => resource.identifier),
        prompt,
        answer: 'signedIn' in browser ? browser.consent : undefined,
      })
      if (consent === 'ask') {
        const page = { client, redirectUri: redirect.redirectUri, scope, resources }
        return { kind: 'consent', ...(await consentPage(deps, request, decision.session, page)) }
      }
    }
    const params = await issueAuthorizationResponse(
      deps,
      { client, redirect, responseType, scope, nonce, codeChallenge, dpopJkt, resources },
      decision.session,
    )
    return { kind: 'response', target, params }
  } catch (error) {
    throw error instanceof OAuthError ? error.sendTo(target) : error
  }
}
