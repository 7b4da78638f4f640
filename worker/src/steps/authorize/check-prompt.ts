import { OAuthError } from '../../errors'

export type Prompt = 'none' | 'login' | 'consent' | 'select_account'
const PROMPTS = new Set<string>(['none', 'login', 'consent', 'select_account'])

/**
 * `prompt` values (OIDC Core §3.1.2.1): known ones only, and `none` alone (checklist H04).
 * `consent` needs no screen for an administrator's client: the administrator who registered it
 * consented for the tenant (a documented prior consent, OIDC Core §11; docs/architecture.md
 * "Decisions"); a third-party client always shows its consent page (decide-consent.ts).
 * `select_account` shows the sign-in page, where another account can be used.
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest OIDC Core §3.1.2.1}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#OfflineAccess OIDC Core §11}
 */
export function checkPrompt(prompt: string | undefined): ReadonlySet<Prompt> {
  if (prompt === undefined) return new Set()
  const values = prompt.split(' ')
  if (values.some((value) => !PROMPTS.has(value)))
    throw new OAuthError('invalid_request', 'Unsupported prompt value')
  if (values.includes('none') && values.length > 1) {
    throw new OAuthError('invalid_request', 'prompt none cannot be combined with other values')
  }
  return new Set(values as Prompt[])
}

/** `max_age`: a non-negative integer number of seconds (checklist H09). */
export function checkMaxAge(maxAge: string | undefined): number | undefined {
  if (maxAge === undefined) return undefined
  if (!/^\d{1,15}$/.test(maxAge))
    throw new OAuthError('invalid_request', 'max_age must be a non-negative integer')
  return Number(maxAge)
}
