import { Hono } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import type { AppContext, AppEnv } from '../context'
import { sha256 } from '../crypto/hash'
import type { Client } from '../domain/client'
import { AuthorizePageError } from '../steps/authorize/authorize-errors'
import { verifyOwnIdToken } from '../steps/authorize/check-id-token-hint'
import { toParams } from '../steps/authorize/read-authorization-params'
import { errorPage } from '../steps/authorize/run-authorization'
import { csrfToken, csrfValid } from '../steps/csrf'
import { findClientCredentials } from '../storage/client-authentication'
import { nowSeconds } from '../storage/db'
import { findLiveSession } from '../storage/sessions'
import { endSession } from '../storage/sign-out'
import { pageCsp } from '../views/layout'
import { ConfirmSignOut, SignedOut } from '../views/sign-out'

const BAD_REQUEST = (detail: string) => new AuthorizePageError('Sign-out failed', detail)

/**
 * RP-Initiated Logout 1.0 (`end_session_endpoint`). With a valid `id_token_hint` the browser's
 * session is ended at once; without one the user is asked, with a `Sign out` button. The user is
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
    const client =
      clientId === undefined
        ? null
        : ((await findClientCredentials(c.get('db'), clientId))?.client ?? null)
    const returnTo = get('post_logout_redirect_uri')
    if (
      returnTo !== undefined &&
      (client === null || !client.postLogoutRedirectUris.includes(returnTo))
    ) {
      return errorPage(c, BAD_REQUEST('The address to return to after sign-out is not registered.'))
    }

    const confirmed = c.req.method === 'POST' && csrfValid(c, get('csrf'))
    if (hinted === undefined && !confirmed) {
      const fields = Object.fromEntries(
        ['client_id', 'post_logout_redirect_uri', 'state']
          .map((name) => [name, get(name)] as const)
          .filter((entry): entry is readonly [string, string] => entry[1] !== undefined),
      )
      // The confirmed form ends in a redirect to the (verified) post-logout URI.
      headers(c, returnTo === undefined ? [] : [new URL(returnTo).origin])
      return c.html(<ConfirmSignOut csrf={csrfToken(c)} fields={fields} />)
    }
    await signOut(c, hinted?.sub)
    return finish(c, client, returnTo, get('state'))
  })
  return app
}

/** Ends the browser's session: the hinted user's, or any when the user confirmed. */
async function signOut(c: AppContext, hintedSubject: string | undefined): Promise<void> {
  const cookie = getCookie(c, 'session', 'host')
  deleteCookie(c, 'session', { prefix: 'host', path: '/', secure: true })
  if (cookie === undefined) return
  const now = nowSeconds()
  const session = await findLiveSession(c.get('db'), await sha256(cookie), now)
  if (session === null || (hintedSubject !== undefined && session.userId !== hintedSubject)) return
  await endSession(c.get('db'), session.id, now)
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
  headers(c)
  return c.html(<SignedOut />)
}

function headers(c: AppContext, formTargets: readonly string[] = []): void {
  c.header('Content-Security-Policy', pageCsp(formTargets))
  c.header('Cache-Control', 'no-store')
}
