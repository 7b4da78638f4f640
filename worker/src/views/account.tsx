import type { FC } from 'hono/jsx'
import type { ListedConsent } from '../storage/consents'
import type { Passkey } from '../storage/passkeys'
import { AppsWithAccess } from './account-consents'
import { Layout } from './layout'
import { when } from './page-time'

/** Messages the account page shows after an action, by the `status` it was redirected with. */
export const ACCOUNT_MESSAGES = {
  added: 'The passkey was added.',
  renamed: 'The passkey was renamed.',
  deleted: 'The passkey was deleted.',
  failed: 'The passkey could not be added. Try again.',
  duplicate: 'This passkey is already registered.',
  limit: 'You have as many passkeys as an account may hold. Delete one first.',
  'bad-name': 'A passkey name has 1 to 64 characters.',
  reauthenticate: 'Sign in again to add or delete a passkey.',
  withdrawn: "The app's access was withdrawn.",
} as const

export type AccountMessage = keyof typeof ACCOUNT_MESSAGES

export interface AccountProps {
  email: string
  passkeys: readonly Passkey[]
  /** The third-party apps the user consented to (views/account-consents.tsx). */
  consents: readonly ListedConsent[]
  csrf: string
  /** The sign-in is recent enough to add a passkey. */
  recent: boolean
  message: AccountMessage | undefined
}

/**
 * The account page: the signed-in user's passkeys (name, created, last used), each with a rename
 * and a delete form, `Add a passkey`, which needs a sign-in within five minutes (otherwise a
 * link signs in again), and the apps with access (views/account-consents.tsx). Forms work without script except adding, which needs WebAuthn: the
 * same-origin script does it, and says so where the browser has no passkey support.
 */
export const AccountPage: FC<AccountProps> = ({
  email,
  passkeys,
  consents,
  csrf,
  recent,
  message,
}) => (
  <Layout title="Your account" script>
    <p class="client">Signed in as {email}</p>
    <p role="status" id="passkey-status" class={message === undefined ? undefined : 'alert'}>
      {message === undefined ? '' : ACCOUNT_MESSAGES[message]}
    </p>
    <section aria-labelledby="passkeys-heading">
      <h2 id="passkeys-heading">Passkeys</h2>
      {passkeys.length === 0 ? (
        <p>You have no passkeys yet.</p>
      ) : (
        <ul class="passkeys">
          {passkeys.map((passkey) => (
            <li>
              <h3>{passkey.name}</h3>
              <p class="note">
                Created {when(passkey.createdAt)}; last used {when(passkey.lastUsedAt)}
              </p>
              <form method="post" action="/account/passkeys/rename" class="inline">
                <input type="hidden" name="csrf" value={csrf} />
                <input type="hidden" name="id" value={passkey.id} />
                <label>
                  New name for {passkey.name}
                  <input name="name" value={passkey.name} maxlength={64} required />
                </label>
                <button type="submit" class="secondary">
                  Rename
                </button>
              </form>
              <form method="post" action="/account/passkeys/delete">
                <input type="hidden" name="csrf" value={csrf} />
                <input type="hidden" name="id" value={passkey.id} />
                <button type="submit" class="secondary" aria-label={`Delete ${passkey.name}`}>
                  Delete
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      {recent ? (
        <form method="post" action="/account/passkeys" id="add-passkey-form">
          <input type="hidden" name="csrf" value={csrf} />
          <input type="hidden" name="credential" value="" />
          <button type="submit">Add a passkey</button>
          <p class="note" id="passkey-support" hidden>
            This browser cannot create passkeys. Use a browser that supports passkeys (WebAuthn).
          </p>
        </form>
      ) : (
        <p>
          To add or delete a passkey, <a href="/account/sign-in">sign in again</a> (both need a
          sign-in within the last five minutes).
        </p>
      )}
    </section>
    <AppsWithAccess consents={consents} csrf={csrf} />
  </Layout>
)

/** The account page without a session: where to sign in. */
export const AccountSignedOut: FC = () => (
  <Layout title="Your account">
    <p>
      You are not signed in. Sign in to one of your organization's applications, then open this page
      again.
    </p>
  </Layout>
)
