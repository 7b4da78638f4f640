import type { Child, FC } from 'hono/jsx'

/** The stylesheet every page links to (served by routes/assets.ts, same origin, no inline CSS). */
export const PAGES_CSS_PATH = '/assets/pages.css'

/**
 * The frame of every HTML page the server renders (sign-in, error, sign-out, set password):
 * a landmark structure screen readers can navigate, a visible heading, no script and no
 * third-party resource (checklist A14). Pages are sent with `frame-ancestors 'none'` (A12).
 */
export const Layout: FC<{ title: string; children: Child }> = ({ title, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="no-referrer" />
      <title>{title}</title>
      <link rel="stylesheet" href={PAGES_CSS_PATH} />
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
 * names that verified origin too.
 */
export function pageCsp(formTargets: readonly string[] = []): string {
  const targets = ["'self'", ...new Set(formTargets)].join(' ')
  return `default-src 'none'; style-src 'self'; form-action ${targets}; frame-ancestors 'none'; base-uri 'none'`
}
