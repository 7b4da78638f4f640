import type { FC } from 'hono/jsx'
import { clientHost, describeScopes } from '../domain/consent'
import type { ListedConsent } from '../storage/consents'
import { when } from './page-time'

/** The path of the withdraw form (routes/account-consents.tsx). */
export const WITHDRAW_CONSENT_PATH = '/account/consents/withdraw'

/**
 * "Apps with access": the third-party apps the user consented to, each with its host, what it
 * may do, its resources, since when, and a `Withdraw` button (a form of this page, CSRF token).
 */
export const AppsWithAccess: FC<{ consents: readonly ListedConsent[]; csrf: string }> = ({
  consents,
  csrf,
}) => (
  <section aria-labelledby="apps-heading">
    <h2 id="apps-heading">Apps with access</h2>
    {consents.length === 0 ? (
      <p>No app has access to your account.</p>
    ) : (
      <ul class="apps">
        {consents.map((consent) => {
          const host = clientHost(
            {
              id: consent.clientId,
              thirdParty: { registration: consent.registration, clientUri: consent.clientUri },
            },
            consent.redirectUris[0],
          )
          return (
            <li>
              <h3>{consent.clientName}</h3>
              {host !== undefined && <p class="note">{host.host}</p>}
              <ul>
                {describeScopes(consent.scopes, []).map((scope) => (
                  <li>{scope.description}</li>
                ))}
                {consent.resources.map((resource) => (
                  <li>At {resource}</li>
                ))}
              </ul>
              <p class="note">Since {when(consent.createdAt)}</p>
              <form method="post" action={WITHDRAW_CONSENT_PATH}>
                <input type="hidden" name="csrf" value={csrf} />
                <input type="hidden" name="client" value={consent.clientId} />
                <button
                  type="submit"
                  class="secondary"
                  aria-label={`Withdraw access of ${consent.clientName}`}
                >
                  Withdraw
                </button>
              </form>
            </li>
          )
        })}
      </ul>
    )}
  </section>
)
