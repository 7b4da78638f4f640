import type { Deps } from '../../deps'
import type { Client, ThirdPartyMetadata } from '../../domain/client'
import { consentCovers } from '../../domain/consent'
import { OAuthError } from '../../errors'
import { findConsent, grantConsent } from '../../storage/consents'
import type { Prompt } from './check-prompt'

/** The user's answer on the consent page, when this request resumes from it. */
export type ConsentAnswer = 'allow' | 'deny'

export interface ConsentInput {
  client: Client & { thirdParty: ThirdPartyMetadata }
  userId: string
  scope: readonly string[]
  /** The identifiers of the resources the request names (RFC 8707). */
  resources: readonly string[]
  prompt: ReadonlySet<Prompt>
  answer: ConsentAnswer | undefined
}

/**
 * Whether a third-party client may have its code now, or the user must be asked first: `Allow`
 * on the consent page records the consent (widening the remembered one) and goes on; `Deny` is
 * `access_denied` at the redirect URI (RFC 6749 §4.1.2.1); `prompt=consent` always asks; a
 * remembered consent that covers every scope and resource asked for goes on; otherwise
 * `prompt=none` is `consent_required` (OIDC Core §3.1.2.6, checklist H03) and anything else asks.
 * Administrator clients never come here: the administrator consented for the tenant.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 RFC 6749 §4.1.2.1}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#Consent OIDC Core §3.1.2.4}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#AuthError OIDC Core §3.1.2.6}
 */
export async function decideConsent(deps: Deps, input: ConsentInput): Promise<'go-on' | 'ask'> {
  const { client, userId } = input
  if (input.answer === 'deny') {
    throw new OAuthError('access_denied', 'The user denied the request')
  }
  if (input.answer === 'allow') {
    const now = deps.now()
    await grantConsent(
      deps.db,
      {
        tenantId: client.tenantId,
        userId,
        clientId: client.id,
        scopes: input.scope,
        resources: input.resources,
        now,
      },
      {
        tenantId: client.tenantId,
        actorType: 'user',
        actorId: userId,
        action: 'consent.granted',
        targetType: 'client',
        targetId: client.id,
        requestId: deps.requestId,
        details: { scopes: input.scope, resources: input.resources },
        occurredAt: now,
      },
    )
    return 'go-on'
  }
  if (input.prompt.has('consent')) return 'ask'
  const consent = await findConsent(deps.db, client.tenantId, userId, client.id)
  if (consentCovers(consent, input.scope, input.resources)) return 'go-on'
  if (input.prompt.has('none')) {
    throw new OAuthError('consent_required', 'The user has not consented to this request')
  }
  return 'ask'
}
