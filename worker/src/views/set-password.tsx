import type { FC } from 'hono/jsx'
import { PASSWORD_MIN_LENGTH, PASSWORD_POLICY_TEXT } from '../domain/password-policy'
import { Layout } from './layout'

/** An error about one input of the form, shown next to it and announced (WCAG 2.2 SC 3.3.1). */
export interface FieldProblem {
  field: 'password' | 'confirm'
  message: string
}

export interface SetPasswordPageProps {
  /** The link's token, carried to the POST in a hidden field. */
  token: string
  csrf: string
  email: string
  problem?: FieldProblem | undefined
}

/**
 * The form of an invitation or password-reset link. Labelled inputs, the policy in text, and an
 * error in a `role="alert"` region tied to its input by `aria-describedby` and `aria-invalid`
 * (WCAG 2.2 SC 1.3.1, 3.3.1, 3.3.2). `autocomplete="new-password"` lets password managers
 * propose a strong one (WCAG 2.2 SC 3.3.8; NIST SP 800-63B-4 §3.1.1.2 "SHOULD permit ... paste").
 * Every value is escaped by hono/jsx (checklist A15).
 * @see {@link https://pages.nist.gov/800-63-4/sp800-63b.html NIST SP 800-63B-4 §3.1.1.2}
 */
export const SetPasswordPage: FC<SetPasswordPageProps> = ({ token, csrf, email, problem }) => {
  const describedBy = (field: FieldProblem['field'], base?: string) =>
    [problem?.field === field ? 'form-error' : undefined, base].filter(Boolean).join(' ') ||
    undefined
  return (
    <Layout title="Set your password">
      <p>
        Choose the password of <strong>{email}</strong>.
      </p>
      {problem !== undefined && (
        <p class="alert" role="alert" id="form-error">
          {problem.message}
        </p>
      )}
      <form method="post" action="/account/set-password">
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="csrf" value={csrf} />
        {/* Tells password managers which account the new password belongs to. */}
        <input type="email" name="username" autocomplete="username" value={email} hidden />
        <label>
          New password
          <input
            type="password"
            name="password"
            autocomplete="new-password"
            required
            minlength={PASSWORD_MIN_LENGTH}
            aria-describedby={describedBy('password', 'password-policy')}
            aria-invalid={problem?.field === 'password' ? 'true' : undefined}
          />
        </label>
        <p class="note" id="password-policy">
          {PASSWORD_POLICY_TEXT}
        </p>
        <label>
          Confirm password
          <input
            type="password"
            name="confirm"
            autocomplete="new-password"
            required
            aria-describedby={describedBy('confirm')}
            aria-invalid={problem?.field === 'confirm' ? 'true' : undefined}
          />
        </label>
        <button type="submit">Set password</button>
      </form>
    </Layout>
  )
}

/** Where a successful form submission lands (303, so a reload does not submit it again). */
export const PasswordSetPage: FC = () => (
  <Layout title="Password set">
    <p role="status">Your password is set. You can now sign in to your application.</p>
  </Layout>
)
