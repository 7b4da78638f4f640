import type { AppContext } from '../../context'
import type { Client } from '../../domain/client'
import { ErrorPage } from '../../views/error-page'
import { sendPage } from '../../views/send-page'
import { SignIn } from '../../views/sign-in'
import { csrfToken } from '../csrf'
import type { AuthorizePageError } from './authorize-errors'
import { type AuthorizationParams, serializeParams } from './read-authorization-params'

/** A pending authorization request waits this long on the sign-in page. */
const INTERACTION_TTL_SECONDS = 30 * 60
export const INTERACTION_PURPOSE = 'authorization-request'

/**
 * The sign-in form, carrying the pending request sealed so it resumes after sign-in. Its
 * submission ends in a redirect to the verified redirect URI, which `form-action` must allow.
 */
export async function signInPage(
  c: AppContext,
  params: AuthorizationParams,
  client: Pick<Client, 'name'>,
  redirectUri: string,
  email: string | undefined,
  error?: { message: string; status: 400 | 429; retryAfterSeconds?: number },
): Promise<Response> {
  const interaction = await c
    .get('services')
    .sealed.seal(INTERACTION_PURPOSE, serializeParams(params), INTERACTION_TTL_SECONDS)
  if (error?.retryAfterSeconds !== undefined) {
    c.header('Retry-After', String(error.retryAfterSeconds))
  }
  return sendPage(
    c,
    <SignIn
      clientName={client.name}
      interaction={interaction}
      csrf={csrfToken(c)}
      email={email ?? ''}
      error={error?.message}
    />,
    { status: error?.status ?? 200, formTargets: [new URL(redirectUri).origin] },
  )
}

/** What the user sees when the request cannot be answered to the application (A01, A02). */
export function errorPage(
  c: AppContext,
  error: AuthorizePageError,
  status: 400 | 403 = 400,
): Response | Promise<Response> {
  return sendPage(
    c,
    <ErrorPage title={error.title} detail={error.detail} requestId={c.get('requestId')} />,
    { status },
  )
}
