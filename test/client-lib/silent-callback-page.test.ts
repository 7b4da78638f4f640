import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'

const libDir = path.resolve(import.meta.dirname, '../../client-lib')
const page = readFileSync(path.join(libDir, 'silent-callback.html'), 'utf8')
const script = page.match(/<script>(.*?)<\/script>/s)?.[1] ?? ''

describe('silent-callback.html', () => {
  it('is a few hundred bytes of static HTML, not the library', () => {
    expect(Buffer.byteLength(page)).toBeLessThan(512)
    expect(page).not.toMatch(/<script[^>]+src=/)
  })

  const location = {
    href: 'http://localhost:5173/silent-callback.html?code=c&state=s&iss=http%3A%2F%2Flocalhost%3A8787',
    origin: 'http://localhost:5173',
  }

  it('posts its own URL (the authorization response) to the parent, at its own origin only', () => {
    const parent = { postMessage: vi.fn() }
    new Function('opener', 'parent', 'location', script)(null, parent, location)
    expect(parent.postMessage).toHaveBeenCalledExactlyOnceWith(location.href, location.origin)
  })

  it('posts to its opener instead when it is a popup (signInWithPopup)', () => {
    const [opener, parent] = [{ postMessage: vi.fn() }, { postMessage: vi.fn() }]
    new Function('opener', 'parent', 'location', script)(opener, parent, location)
    expect(opener.postMessage).toHaveBeenCalledExactlyOnceWith(location.href, location.origin)
    expect(parent.postMessage).not.toHaveBeenCalled()
  })

  it('keeps the response out of the Referer of any later request', () => {
    expect(page).toContain('<meta name="referrer" content="no-referrer">')
  })

  it('matches the CSP hash documented in the README', () => {
    const hash = createHash('sha256').update(script).digest('base64')
    expect(readFileSync(path.join(libDir, 'README.md'), 'utf8')).toContain(`'sha256-${hash}'`)
  })
})
