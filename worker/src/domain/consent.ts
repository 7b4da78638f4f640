import type { Client, ThirdPartyMetadata } from './client'
import type { ApiResource } from './resource'

/**
 * Whether a remembered consent covers a request: every scope value and every resource the
 * request asks for was consented to before (OIDC Core §3.1.2.4: the server may rely on a
 * prior consent). A request that asks for more shows the consent page again.
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#Consent OIDC Core §3.1.2.4}
 */
export function consentCovers(
  consent: { scopes: readonly string[]; resources: readonly string[] } | null,
  scope: readonly string[],
  resources: readonly string[],
): boolean {
  if (consent === null) return false
  return (
    scope.every((value) => consent.scopes.includes(value)) &&
    resources.every((value) => consent.resources.includes(value))
  )
}

/** Where a third-party client's host on the consent page comes from (the page says which). */
export type ClientHostSource = 'client-id' | 'client-uri' | 'redirect-uri'

/**
 * The host the consent page names for a third-party client: a metadata-document client's
 * `client_id` is the URL of its document, so its host is proven by the fetch; a registered
 * client's `client_uri` is only what it declared, and without one the host of the redirect URI
 * the user will be sent back to is the honest answer.
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-2 RFC 7591 §2}
 */
export function clientHost(
  client: Pick<Client, 'id'> & {
    thirdParty: Pick<ThirdPartyMetadata, 'registration' | 'clientUri'>
  },
  redirectUri: string | undefined,
): { host: string; source: ClientHostSource } | undefined {
  const hostOf = (value: string | null | undefined) => {
    if (value === null || value === undefined) return undefined
    try {
      return new URL(value).host || undefined
    } catch {
      return undefined
    }
  }
  if (client.thirdParty.registration === 'metadata-document') {
    const host = hostOf(client.id)
    if (host !== undefined) return { host, source: 'client-id' }
  }
  const declared = hostOf(client.thirdParty.clientUri)
  if (declared !== undefined) return { host: declared, source: 'client-uri' }
  const redirect = hostOf(redirectUri)
  return redirect === undefined ? undefined : { host: redirect, source: 'redirect-uri' }
}

/** What the user is asked to allow, in words, for the built-in scope values. */
const SCOPE_DESCRIPTIONS: ReadonlyMap<string, string> = new Map([
  ['openid', 'Know who you are (your account identifier)'],
  ['profile', 'See your name'],
  ['email', 'See your email address'],
  ['offline_access', 'Stay signed in: access your data when you are not present'],
])

/**
 * The scope values of a request as the consent page lists them: the built-in ones described,
 * a resource's own values named with the resource that defines them (RFC 8707).
 */
export function describeScopes(
  scope: readonly string[],
  resources: readonly Pick<ApiResource, 'name' | 'scopes'>[],
): { value: string; description: string }[] {
  return scope.map((value) => {
    const known = SCOPE_DESCRIPTIONS.get(value)
    if (known !== undefined) return { value, description: known }
    const definer = resources.find((resource) => resource.scopes.includes(value))
    return {
      value,
      description: definer === undefined ? value : `${value} at ${definer.name}`,
    }
  })
}
