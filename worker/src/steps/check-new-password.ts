import type { Deps } from '../deps'
import {
  COMMON_PASSWORD_PROBLEM,
  commonPasswordKey,
  passwordRuleProblem,
} from '../domain/password-policy'
import { isCommonPassword } from '../storage/common-passwords'

/**
 * Why a new `password` for the account with `email` is refused, or undefined when it is
 * acceptable: the rules of domain/password-policy.ts first (a password they refuse costs no
 * round trip, and only one of 10 to 200 characters is ever looked up), then the blocklist of
 * common passwords in D1, in any case (one primary-key read on the primary, `deps.db`). The
 * messages are shown to the person choosing the password.
 * @see {@link https://pages.nist.gov/800-63-4/sp800-63b.html NIST SP 800-63B-4 §3.1.1.2}
 */
export async function newPasswordProblem(
  deps: Pick<Deps, 'db'>,
  password: string,
  { email }: { email: string },
): Promise<string | undefined> {
  const problem = passwordRuleProblem(password, { email })
  if (problem !== undefined) return problem
  if (await isCommonPassword(deps.db, commonPasswordKey(password))) return COMMON_PASSWORD_PROBLEM
  return undefined
}
