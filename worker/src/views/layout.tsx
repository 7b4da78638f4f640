import type { Child, FC } from 'hono/jsx'

/** The stylesheet every page links to (served by routes/assets.ts, same origin, no inline CSS). */
export const PAGES_CSS_PATH = '/assets/pages.css'
/** The passkeys script of the sign-in and account pages (routes/assets.ts, same origin). */
export const PASSKEYS_SCRIPT_PATH = '/assets/passkeys.js'

/**
 * The frame of every HTML page the server renders (sign-in, error, sign-out, set password):
 * a landmark structure screen readers can navigate, a visible heading, no third-party resource
 * (checklist A14), and no script except the same-origin passkeys script where `script` asks. Pages are sent with `frame-ancestors 'none'` (A12).
 */
export const Layout: FC<{ title: string; children: Child; script?: boolean }> = ({
  title,
  children,
  script = false,
}) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="no-referrer" />
      <title>{title}</title>
      <link rel="stylesheet" href={PAGES_CSS_PATH} />
      {script && <script src={PASSKEYS_SCRIPT_PATH} defer />}
    </head>
    <body>
      <main>
        <h1>{title}</h1>
        {children}
      </main>
    </body>
  </html>
)

/**
 * A page's Content-Security-Policy. `form-action` also governs where a form submission's
 * redirects may go, so a form that ends in a redirect to the application (sign-in, sign-out)
 * names that verified origin too. A page with `script` may load same-origin scripts (the
 * passkeys script, routes/assets.ts) and fetch from this origin; never inline script.
 */
export function pageCsp(formTargets: readonly string[] = [], script = false): string {
  const targets = ["'self'", ...new Set(formTargets)].join(' ')
  const scripts = script ? "script-src 'self'; connect-src 'self'; " : ''
  return `default-src 'none'; ${scripts}style-src 'self'; form-action ${targets}; frame-ancestors 'none'; base-uri 'none'`
}
