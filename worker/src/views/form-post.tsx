import type { FC } from 'hono/jsx'
import { PAGES_CSS_PATH } from './layout'

export const FORM_POST_SCRIPT_PATH = '/assets/form-post.js'

/**
 * OAuth 2.0 Form Post Response Mode: the response parameters in a form the browser posts to the
 * client's redirect URI. A same-origin script submits it; without scripts, a button does.
 * @see {@link https://openid.net/specs/oauth-v2-form-post-response-mode-1_0.html
 *   Form Post Response Mode}
 */
export const FormPost: FC<{ action: string; params: Record<string, string> }> = ({
  action,
  params,
}) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="referrer" content="no-referrer" />
      <title>Returning to the application</title>
      <link rel="stylesheet" href={PAGES_CSS_PATH} />
      <script src={FORM_POST_SCRIPT_PATH} defer />
    </head>
    <body>
      <main>
        <form method="post" action={action} id="form-post">
          {Object.entries(params).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <p>Returning to the application…</p>
          <button type="submit">Continue</button>
        </form>
      </main>
    </body>
  </html>
)

export const FORM_POST_SCRIPT = "document.getElementById('form-post').submit()\n"
