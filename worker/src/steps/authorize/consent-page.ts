import type { Deps } from '../../deps'
import type { Client, ThirdPartyMetadata } from '../../domain/client'
import { type ClientHostSource, clientHost, describeScopes } from '../../domain/consent'
import type { ApiResource } from '../../domain/resource'
import type { SessionWithUser } from '../../storage/sessions'
import type { AuthorizationRequest } from './authorization-request'
import { sealConsentInteraction } from './interaction'

/** What the consent page shows and carries. */
export interface ConsentPage {
  clientName: string
  /** The client's host and where it comes from; undefined when none can be told. */
  host: { host: string; source: ClientHostSource } | undefined
  /**
   * The host of the redirect URI the answer goes to, when the page names the client by another
   * host (a metadata document or a registration may list redirect URIs anywhere): the user sees
   * where the code goes, not only who published the client.
   */
  redirectHost: string | undefined
  scopes: { value: string; description: string }[]
  resources: { name: string; identifier: string }[]
  /** The pending request and its user, sealed, for the form to carry. */
  interaction: string
  /** The verified redirect URI the answer ends at (the page's `form-action` allows its origin). */
  redirectUri: string
}

/**
 * The consent page of a validated request: the client's name and host, the scopes in words,
 * the resources, and the request sealed with the user it is shown to. No logo: an image from
 * the client's host would be a third-party resource on an authorization page (checklist A14)
 * and would tell that host who is signing in.
 */
export async function consentPage(
  deps: Deps,
  request: AuthorizationRequest,
  session: SessionWithUser,
  validated: {
    client: Client & { thirdParty: ThirdPartyMetadata }
    redirectUri: string
    scope: readonly string[]
    resources: readonly ApiResource[]
  },
): Promise<ConsentPage> {
  const { client, redirectUri, scope, resources } = validated
  const host = clientHost(client, redirectUri)
  const redirectHost = new URL(redirectUri).host
  return {
    clientName: client.name,
    host,
    redirectHost: host === undefined || host.host === redirectHost ? undefined : redirectHost,
    scopes: describeScopes(scope, resources),
    resources: resources.map(({ name, identifier }) => ({ name, identifier })),
    interaction: await sealConsentInteraction(deps, request, session.userId),
    redirectUri,
  }
}
