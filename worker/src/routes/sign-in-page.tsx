import type { Context } from 'hono'
import { sendPage } from '../views/send-page'
import { SignIn } from '../views/sign-in'
import { giveCsrfToken } from './browser-cookies'

/** The name the sign-in page shows when it leads to the account page rather than a client. */
export const ACCOUNT_PAGE_CLIENT_NAME = 'your account'

export interface SignInPageProps {
  clientName: string
  /** The pending request, sealed (steps/authorize/interaction.ts, steps/sign-in-target.ts). */
  interaction: string
  /** The verified redirect URI the form's submission ends at; none for the account page. */
  redirectUri?: string
  email: string | undefined
  /** A message about the last attempt (wrong credentials, throttled), with its status. */
  problem?: { message: string; status: 400 | 429; retryAfterSeconds?: number }
}

/**
 * The sign-in form, carrying the pending request so it resumes after sign-in. Its submission
 * ends in a redirect to the verified redirect URI, which `form-action` must allow. A failed
 * attempt shows the same form again with its message (not an error page: the user can retry).
 * The page's one script (same origin) adds passkey sign-in where the browser supports it.
 */
export function sendSignInPage(c: Context, props: SignInPageProps): Response | Promise<Response> {
  const { problem } = props
  if (problem?.retryAfterSeconds !== undefined) {
    c.header('Retry-After', String(problem.retryAfterSeconds))
  }
  return sendPage(
    c,
    <SignIn
      clientName={props.clientName}
      interaction={props.interaction}
      csrf={giveCsrfToken(c)}
      email={props.email ?? ''}
      error={problem?.message}
    />,
    {
      status: problem?.status ?? 200,
      formTargets: props.redirectUri === undefined ? [] : [new URL(props.redirectUri).origin],
      script: true,
    },
  )
}
