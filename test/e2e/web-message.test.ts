import { describe, expect, it } from 'vitest'
import { SPA_CLIENT_ID } from './helpers/relying-party'
import { signInThroughSpa, withBrowser } from './helpers/spa'
import { SERVER, SPA } from './helpers/stack'
import { throwawayChallenge, webMessageInFrame } from './helpers/web-message'

// response_mode=web_message in a real browser against `npm start`: the page's nonce script runs
// under its CSP, the demo SPA's origin may frame it (frame-ancestors), and the response reaches
// the SPA by postMessage, from the issuer's origin and the frame the SPA created.

/** A prompt=none web_message request of the demo SPA client. */
function silentRequest(state: string, redirectUri = `${SPA}/callback`): string {
  return `${SERVER}/authorize?${new URLSearchParams({
    client_id: SPA_CLIENT_ID,
    redirect_uri: redirectUri,
    response_type: 'code',
    response_mode: 'web_message',
    prompt: 'none',
    scope: 'openid',
    state,
    code_challenge: throwawayChallenge(),
    code_challenge_method: 'S256',
  })}`
}

describe('response_mode=web_message in Chromium (npm start)', () => {
  it('H01 posts login_required from a hidden iframe when there is no session', async () => {
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await page.goto(`${SPA}/`)
      const posted = await webMessageInFrame(page, silentRequest('s-none'), SERVER)
      expect(posted.fromFrame).toBe(true)
      expect(posted.data).toEqual({
        type: 'authorization_response',
        response: {
          error: 'login_required',
          error_description: 'The user must sign in',
          state: 's-none',
          iss: SERVER,
        },
      })
    })
  })

  it('I03 posts a code, state and iss from a hidden iframe of the signed-in SPA', async () => {
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await signInThroughSpa(page)
      const posted = await webMessageInFrame(page, silentRequest('s-code'), SERVER)
      expect(posted.origin).toBe(SERVER)
      expect(posted.fromFrame).toBe(true)
      expect(posted.data.type).toBe('authorization_response')
      expect(posted.data.response?.code).toMatch(/^[\w-]{43}$/)
      expect(posted.data.response?.state).toBe('s-code')
      expect(posted.data.response?.iss).toBe(SERVER)
    })
  })

  it('A12 another origin may not frame the page (frame-ancestors), so nothing reaches it', async () => {
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await signInThroughSpa(page)
      const refusals: string[] = []
      page.on('console', (message) => {
        if (message.text().includes('frame-ancestors')) refusals.push(message.text())
      })
      // The same demo SPA under another origin (127.0.0.1 is not localhost to the browser).
      await page.goto(SPA.replace('localhost', '127.0.0.1'))
      await expect(webMessageInFrame(page, silentRequest('s-other'), SERVER, 3000)).rejects.toThrow(
        /no web_message/,
      )
      expect(refusals.join('\n')).toContain(`frame-ancestors ${SPA}`)
    })
  })
})
