import { Hono } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import type { AppContext, AppEnv } from '../context'
import { sha256 } from '../crypto/hash'
import type { Client } from '../domain/client'
import { SESSION_COOKIE_NAME } from '../domain/session'
import { AuthorizePageError } from '../steps/authorize/authorize-errors'
import { verifyOwnIdToken } from '../steps/authorize/check-id-token-hint'
import { errorPage } from '../steps/authorize/pages'
import { toParams } from '../steps/authorize/read-authorization-params'
import { csrfToken, csrfValid } from '../steps/csrf'
import { findClientById } from '../storage/clients'
import { nowSeconds } from '../storage/db'
import { findLiveSession } from '../storage/sessions'
import { endSession } from '../storage/sign-out'
import { sendPage } from '../views/send-page'
import { ConfirmSignOut, SignedOut } from '../views/sign-out'

const BAD_REQUEST = (detail: string) => new AuthorizePageError('Sign-out failed', detail)

/**
 * RP-Initiated Logout 1.0 (`end_session_endpoint`). With a valid `id_token_hint` for this
 * browser's user the session is ended at once; otherwise the user is asked, with a `Sign out`
 * button. The user is
 * sent back only to a `post_logout_redirect_uri` registered for the client, byte for byte, with
 * `state`. Ending the session revokes its grants' tokens.
 */
export function endSessionRoutes() {
  const app = new Hono<AppEnv>()
  app.on(['GET', 'POST'], '/', async (c) => {
    const form = c.req.method === 'POST' ? await c.req.text() : new URL(c.req.url).search.slice(1)
    const params = toParams(new URLSearchParams(form))
    const get = (name: string) => params.get(name)?.[0]
    const hint = get('id_token_hint')
    const hinted = hint === undefined ? undefined : await verifyOwnIdToken(c, hint)
    if (hint !== undefined && hinted === undefined) {
      return errorPage(
        c,
        BAD_REQUEST('The sign-out request carries an ID token this server did not issue.'),
      )
    }
    const hintAudience = typeof hinted?.aud === 'string' ? hinted.aud : hinted?.aud?.[0]
    const clientId = get('client_id') ?? hintAudience
    if (
      get('client_id') !== undefined &&
      hintAudience !== undefined &&
      get('client_id') !== hintAudience
    ) {
      return errorPage(c, BAD_REQUEST('client_id does not match the ID token.'))
    }
    const client = clientId === undefined ? null : await findClientById(c.get('db'), clientId)
    const returnTo = get('post_logout_redirect_uri')
    if (
      returnTo !== undefined &&
      (client === null || !client.postLogoutRedirectUris.includes(returnTo))
    ) {
      return errorPage(c, BAD_REQUEST('The address to return to after sign-out is not registered.'))
    }

    const confirmed = c.req.method === 'POST' && csrfValid(c, get('csrf'))
    const session = await currentSession(c)
    // A hint signs out without asking only when it names this browser's user: anyone can hold
    // some ID token of this server, and must not be able to sign another user out with it.
    const hintMatches = hinted !== undefined && (session === null || session.userId === hinted.sub)
    if (!hintMatches && !confirmed) {
      const fields = Object.fromEntries(
        ['client_id', 'post_logout_redirect_uri', 'state']
          .map((name) => [name, get(name)] as const)
          .filter((entry): entry is readonly [string, string] => entry[1] !== undefined),
      )
      // The confirmed form ends in a redirect to the (verified) post-logout URI.
      return sendPage(c, <ConfirmSignOut csrf={csrfToken(c)} fields={fields} />, {
        formTargets: returnTo === undefined ? [] : [new URL(returnTo).origin],
      })
    }
    if (session !== null) await endSession(c.get('db'), session.id, nowSeconds())
    deleteCookie(c, SESSION_COOKIE_NAME, { prefix: 'host', path: '/', secure: true })
    return finish(c, client, returnTo, get('state'))
  })
  return app
}

/** The browser's live session, if its cookie names one. */
async function currentSession(c: AppContext) {
  const cookie = getCookie(c, SESSION_COOKIE_NAME, 'host')
  return cookie === undefined
    ? null
    : findLiveSession(c.get('db'), await sha256(cookie), nowSeconds())
}

function finish(
  c: AppContext,
  client: Client | null,
  returnTo: string | undefined,
  state: string | undefined,
) {
  if (client !== null && returnTo !== undefined) {
    const url = new URL(returnTo)
    if (state !== undefined) url.searchParams.append('state', state)
    return c.redirect(url.href, 303)
  }
  return sendPage(c, <SignedOut />)
}
