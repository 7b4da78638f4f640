import { Hono } from 'hono'
import type { AppEnv } from '../context'
import { FORM_POST_SCRIPT } from '../views/form-post'
import { PASSKEYS_SCRIPT } from '../views/passkeys-script'

const PAGES_CSS = `
:root { font-family: system-ui, sans-serif; color-scheme: light dark; line-height: 1.5 }
body { margin: 0; min-height: 100vh; display: grid; place-items: center }
main { width: min(26rem, 100% - 2rem); padding: 1.5rem 0 }
h1 { font-size: 1.5rem; margin: 0 0 .5rem }
.client { margin: 0 0 1.25rem; color: light-dark(#444, #c8c8c8) }
form { display: grid; gap: .9rem }
label { display: grid; gap: .25rem; font-weight: 600 }
input { font: inherit; padding: .55rem .6rem; border: 1px solid #8888; border-radius: .4rem }
button { font: inherit; font-weight: 600; padding: .6rem; border-radius: .4rem; border: 0;
  background: #1f5fbf; color: #fff; cursor: pointer }
button.secondary { background: transparent; color: inherit; border: 1px solid #8888 }
input:focus-visible, button:focus-visible, a:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px }
.alert { border-left: 4px solid #c62828; padding: .5rem .75rem; background: #c628281a }
.or { margin: 1rem 0 .5rem; text-align: center }
.passkey button { width: 100% }
.passkeys { padding: 0; list-style: none; display: grid; gap: 1rem }
.passkeys h3 { margin: 0; font-size: 1.05rem }
.note { color: light-dark(#444, #c8c8c8); font-size: .9em }
`

/** Static assets of the server-rendered pages, cacheable and same-origin. */
export function assetRoutes() {
  const app = new Hono<AppEnv>()
  app.get('/pages.css', (c) =>
    c.body(PAGES_CSS, 200, {
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': 'public, max-age=86400',
    }),
  )
  app.get('/form-post.js', (c) =>
    c.body(FORM_POST_SCRIPT, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=86400',
    }),
  )
  app.get('/passkeys.js', (c) =>
    c.body(PASSKEYS_SCRIPT, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
    }),
  )
  return app
}
