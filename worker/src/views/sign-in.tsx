import type { FC } from 'hono/jsx'
import { Layout } from './layout'

export interface SignInProps {
  clientName: string
  /** The pending authorization request, sealed (it comes back with the form). */
  interaction: string
  csrf: string
  email: string
  error: string | undefined
}

/**
 * The sign-in form: labelled `Email` and `Password` inputs and a `Sign in` button (the product
 * contract), the application's name, the error in an alert region the inputs point to, browser
 * autofill hints, keyboard order = reading order. No third-party resource. The same-origin
 * passkeys script shows `Sign in with a passkey` and offers passkeys in the `Email` field's
 * autofill (conditional mediation) where the browser supports them; without it, the password
 * form works alone.
 */
export const SignIn: FC<SignInProps> = ({ clientName, interaction, csrf, email, error }) => (
  <Layout title="Sign in" script>
    <p class="client">to continue to {clientName}</p>
    {error !== undefined && (
      <p class="alert" role="alert" id="sign-in-error">
        {error}
      </p>
    )}
    <form method="post" action="/signin" novalidate id="sign-in-form">
      <input type="hidden" name="interaction" value={interaction} />
      <input type="hidden" name="csrf" value={csrf} />
      <label>
        Email
        <input
          type="email"
          name="email"
          value={email}
          autocomplete="username webauthn"
          required
          autofocus
          aria-describedby={error === undefined ? undefined : 'sign-in-error'}
          aria-invalid={error === undefined ? undefined : 'true'}
        />
      </label>
      <label>
        Password
        <input
          type="password"
          name="password"
          autocomplete="current-password"
          required
          aria-describedby={error === undefined ? undefined : 'sign-in-error'}
          aria-invalid={error === undefined ? undefined : 'true'}
        />
      </label>
      <button type="submit">Sign in</button>
    </form>
    <div id="passkey-sign-in" class="passkey" hidden>
      <p class="or">or</p>
      <button type="button" class="secondary" id="passkey-button">
        Sign in with a passkey
      </button>
      <p role="status" class="note" id="passkey-status" />
    </div>
  </Layout>
)
