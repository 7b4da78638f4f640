import type { FC } from 'hono/jsx'
import { Layout } from './layout'

/**
 * Asks before signing out when the request could have come from anyone (no valid
 * id_token_hint; OIDC RP-Initiated Logout §2, docs/architecture.md): a button named `Sign out`.
 * @see {@link https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout
 *   RP-Initiated Logout §2}
 */
export const ConfirmSignOut: FC<{ csrf: string; fields: Record<string, string> }> = ({
  csrf,
  fields,
}) => (
  <Layout title="Sign out">
    <p>Do you want to sign out?</p>
    <form method="post" action="/end_session">
      <input type="hidden" name="csrf" value={csrf} />
      {Object.entries(fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit">Sign out</button>
    </form>
  </Layout>
)

export const SignedOut: FC = () => (
  <Layout title="Signed out">
    <p role="status">You are signed out. You can close this page.</p>
  </Layout>
)
