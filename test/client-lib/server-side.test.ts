// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { createAuthClient } from '../../client-lib/src/index.js'

describe('creating the client without a window (server-side rendering)', () => {
  it('does nothing harmful, and only browser-only methods throw a clear error', async () => {
    const auth = createAuthClient({
      issuer: 'https://auth.example.com',
      clientId: 'my-spa',
      redirectUri: 'https://app.example.com/callback',
      silentRedirectUri: 'https://app.example.com/silent-callback.html',
      storage: 'session',
    })
    expect(auth.user).toBeUndefined()
    expect(auth.getTokens()).toBeUndefined()
    const off = auth.on('signedIn', () => {})
    off()
    await expect(auth.signIn()).rejects.toThrow(/no document here/)
    await expect(auth.getAccessToken()).rejects.toThrow(/no document here/)
    expect(() => auth.handleRedirectCallback()).toThrow(/no document here/)
    auth.dispose()
  })
})
