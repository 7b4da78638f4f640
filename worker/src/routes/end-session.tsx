import { Hono } from 'hono'
import type { AppContext, AppEnv } from '../context'
import { sha256 } from '../crypto/hash'
import { checkLogoutRequest, type LogoutRequest } from '../steps/check-logout-request'
import { csrfValid } from '../steps/csrf'
import { findLiveSession } from '../storage/sessions'
import { endSession } from '../storage/sign-out'
import { sendPage } from '../views/send-page'
import { ConfirmSignOut, SignedOut } from '../views/sign-out'
import { clearSessionCookie, formOrigin, giveCsrfToken, sessionSecret } from './browser-cookies'
import { methodNotAllowed } from './method-not-allowed'
import { formField, queryFields, readForm } from './read-form'

/**
 * RP-Initiated Logout 1.0 (`end_session_endpoint`). With a valid `id_token_hint` for this
 * browser's user the session is ended at once; otherwise the user is asked, with a `Sign out`
 * button. The user is sent back only to a `post_logout_redirect_uri` registered for the client,
 * with `state`. Ending the session revokes its grants' tokens. Refusals are thrown to the one
 * error handler, which shows them as a page (middleware/render-error.tsx).
 * @see {@link https://openid.net/specs/openid-connect-rpinitiated-1_0.html RP-Initiated Logout 1.0}
 */
export function endSessionRoutes() {
  const app = new Hono<AppEnv>()
  app.on(['GET', 'POST'], '/', async (c) => {
    const deps = c.get('deps')
    const post = c.req.method === 'POST'
    const fields = post ? await readForm(c) : queryFields(c.req.url)
    const get = (name: string) => {
      const value = formField(fields, name)
      return value === '' ? undefined : value
    }
    const request: LogoutRequest = {
      idTokenHint: get('id_token_hint'),
      clientId: get('client_id'),
      postLogoutRedirectUri: get('post_logout_redirect_uri'),
      state: get('state'),
    }
    const { client, hinted, returnTo } = await checkLogoutRequest(deps, request)

    const confirmed = post && csrfValid(deps, formOrigin(c, get('csrf')))
    const session = await currentSession(c)
    // A hint signs out without asking only when it names this browser's user: anyone can hold
    // some ID token of this server, and must not be able to sign another user out with it.
    const hintMatches = hinted !== undefined && (session === null || session.userId === hinted.sub)
    if (!hintMatches && !confirmed) {
      const carried = Object.fromEntries(
        ['client_id', 'post_logout_redirect_uri', 'state']
          .map((name) => [name, get(name)] as const)
          .filter((entry): entry is readonly [string, string] => entry[1] !== undefined),
      )
      // The confirmed form ends in a redirect to the (verified) post-logout URI.
      return sendPage(c, <ConfirmSignOut csrf={giveCsrfToken(c)} fields={carried} />, {
        formTargets: returnTo === undefined ? [] : [new URL(returnTo).origin],
      })
    }
    if (session !== null) await endSession(deps.db, session.id, deps.now())
    clearSessionCookie(c)
    if (client !== null && returnTo !== undefined) {
      const url = new URL(returnTo)
      if (request.state !== undefined) url.searchParams.append('state', request.state)
      return c.redirect(url.href, 303)
    }
    return sendPage(c, <SignedOut />)
  })
  app.all('/', methodNotAllowed('GET, POST'))
  return app
}

/** The browser's live session, if its cookie names one. */
async function currentSession(c: AppContext) {
  const secret = sessionSecret(c)
  const { db, now } = c.get('deps')
  return secret === undefined ? null : findLiveSession(db, await sha256(secret), now())
}
