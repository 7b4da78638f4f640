import type { SessionWithUser } from '../../storage/sessions'
import type { Prompt } from './check-prompt'

export type AuthenticationDecision =
  | { kind: 'session'; session: SessionWithUser }
  | { kind: 'sign-in'; reason: 'no-session' | 'prompt' | 'max-age' | 'other-user' }

export interface AuthenticationInput {
  session: SessionWithUser | null
  /** True when the session was created by this very request (the sign-in form was just sent). */
  fresh: boolean
  tenantId: string
  prompt: ReadonlySet<Prompt>
  maxAge: number | undefined
  /** The `sub` of id_token_hint, when one was sent. */
  hintSubject: string | undefined
  now: number
}

/**
 * Whether the browser's session may answer this request, or the user must sign in: there is no
 * live session (unexpired at `now`, idle and absolute limits both) of an enabled user of the
 * client's tenant; `prompt=login` or `select_account`
 * (checklist H05); the session is older than `max_age` (max_age=0 acts as prompt=login, H06, H07);
 * or id_token_hint names another user (H08). A session made by this request always answers.
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest OIDC Core §3.1.2.1}
 */
export function decideAuthentication(input: AuthenticationInput): AuthenticationDecision {
  const { session } = input
  if (
    session === null ||
    !session.userEnabled ||
    session.tenantId !== input.tenantId ||
    session.expiresAt <= input.now ||
    session.idleExpiresAt <= input.now
  ) {
    return { kind: 'sign-in', reason: 'no-session' }
  }
  if (input.hintSubject !== undefined && input.hintSubject !== session.userId) {
    return { kind: 'sign-in', reason: 'other-user' }
  }
  if (input.fresh) return { kind: 'session', session }
  if (input.prompt.has('login') || input.prompt.has('select_account'))
    return { kind: 'sign-in', reason: 'prompt' }
  if (input.maxAge !== undefined && input.now - session.authTime > input.maxAge) {
    return { kind: 'sign-in', reason: 'max-age' }
  }
  return { kind: 'session', session }
}
