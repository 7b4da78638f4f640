import type { FC } from 'hono/jsx'
import type { ClientHostSource } from '../domain/consent'
import { Layout } from './layout'

/** The path the consent form posts to (routes/authorize.ts). */
export const CONSENT_FORM_PATH = '/authorize/consent'

export interface ConsentProps {
  clientName: string
  host: { host: string; source: ClientHostSource } | undefined
  /** Where the answer goes, when that is not the host above (steps/authorize/consent-page.ts). */
  redirectHost?: string | undefined
  scopes: readonly { value: string; description: string }[]
  resources: readonly { name: string; identifier: string }[]
  /** The pending request and its user, sealed (it comes back with the form). */
  interaction: string
  csrf: string
}

/** What the page says about the host, by where it comes from: proven, declared, or where the user goes. */
const HOST_TEXT: Record<ClientHostSource, (host: string) => string> = {
  'client-id': (host) => `Its client ID is published by ${host}.`,
  'client-uri': (host) => `It says it is from ${host} (not verified).`,
  'redirect-uri': (host) => `It sends you back to ${host}.`,
}

/**
 * The consent page of a third-party client: its name, its host (and how that host is known), what
 * it asks for in words, the resources it wants tokens for, and the buttons `Allow` and `Deny`
 * (the product contract). No logo and no third-party resource (checklist A14); the same layout,
 * landmarks and headers as the sign-in page.
 */
export const ConsentPage: FC<ConsentProps> = (props) => (
  <Layout title="Allow access?">
    <p class="client">{props.clientName} wants to access your account.</p>
    {props.host !== undefined && (
      <p class="note" id="consent-host">
        {HOST_TEXT[props.host.source](props.host.host)}
      </p>
    )}
    {props.redirectHost !== undefined && (
      <p class="note" id="consent-redirect-host">
        {HOST_TEXT['redirect-uri'](props.redirectHost)}
      </p>
    )}
    <section aria-labelledby="consent-scopes-heading">
      <h2 id="consent-scopes-heading">It will be able to</h2>
      <ul class="scopes">
        {props.scopes.map((scope) => (
          <li data-scope={scope.value}>{scope.description}</li>
        ))}
      </ul>
    </section>
    {props.resources.length > 0 && (
      <section aria-labelledby="consent-resources-heading">
        <h2 id="consent-resources-heading">At</h2>
        <ul class="resources">
          {props.resources.map((resource) => (
            <li>
              {resource.name} ({resource.identifier})
            </li>
          ))}
        </ul>
      </section>
    )}
    <form method="post" action={CONSENT_FORM_PATH} id="consent-form">
      <input type="hidden" name="interaction" value={props.interaction} />
      <input type="hidden" name="csrf" value={props.csrf} />
      <button type="submit" name="decision" value="allow">
        Allow
      </button>
      <button type="submit" name="decision" value="deny" class="secondary">
        Deny
      </button>
    </form>
    <p class="note">You can withdraw this access later on your account page.</p>
  </Layout>
)
