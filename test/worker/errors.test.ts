import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../worker/src/app'
import { OAuthError, ProblemError, problems } from '../../worker/src/errors'
import { testConfig } from './helpers/worker'

describe('OAuthError (RFC 6749 §5.2)', () => {
  it.each(['line\nbreak', 'carriage\rreturn', 'tab\there', 'quote"d', 'back\\slash', 'é'])(
    'D11 refuses an error_description with characters outside %%x20-21 / %%x23-5B / %%x5D-7E: %j',
    (description) => {
      expect(() => new OAuthError('invalid_request', description)).toThrow(TypeError)
    },
  )

  it('D10 renders JSON that is never cached', async () => {
    const response = new OAuthError('invalid_grant', 'The code has expired').getResponse()
    expect(response.status).toBe(400)
    expect(response.headers.get('Content-Type')).toBe('application/json')
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(await response.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'The code has expired',
    })
  })

  it('answers 401 for invalid_client and keeps extra headers', () => {
    const error = new OAuthError('invalid_client', undefined, {
      headers: { 'WWW-Authenticate': 'Basic realm="token"' },
    })
    const response = error.getResponse()
    expect(response.status).toBe(401)
    expect(response.headers.get('WWW-Authenticate')).toBe('Basic realm="token"')
  })
})

describe('OAuthError on browser endpoints (RFC 6749 §4.1.2.1)', () => {
  const target = {
    redirectUri: 'https://app.example/cb',
    responseMode: 'query',
    state: 's',
  } as const

  it('may be redirected by default, and records only the first verified target', () => {
    const error = new OAuthError('invalid_scope', 'Bad scope')
    expect(error.allowRedirect).toBe(true)
    expect(error.redirectTo).toBeUndefined()
    expect(error.sendTo(target)).toBe(error)
    error.sendTo({ ...target, redirectUri: 'https://other.example/cb' })
    expect(error.redirectTo).toEqual(target)
    expect(error.toParams()).toEqual({ error: 'invalid_scope', error_description: 'Bad scope' })
  })

  it('carries the words of its page, and may be marked never to be redirected', () => {
    const page = { title: 'Unknown application', detail: 'Not known.' }
    const error = new OAuthError('invalid_request', undefined, { allowRedirect: false, page })
    expect(error.allowRedirect).toBe(false)
    expect(error.page).toEqual(page)
    expect(error.toParams()).toEqual({ error: 'invalid_request' })
  })
})

describe('the error handler on browser endpoints', () => {
  it('answers an unexpected failure with the 500 error page, never JSON or internals', async () => {
    const down = {
      prepare: () => {
        throw new Error('D1 is down: secret internal detail')
      },
    } as unknown as D1Database
    const config = testConfig()
    const response = await createApp(config).request(
      `${config.issuer}/authorize?client_id=x`,
      {},
      { ...env, DB: down },
    )
    expect(response.status).toBe(500)
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/)
    expect(response.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'")
    expect(response.headers.get('Location')).toBeNull()
    const html = await response.text()
    expect(html).toContain('Something went wrong')
    expect(html).not.toContain('secret internal detail')
  })
})

describe('ProblemError (RFC 9457)', () => {
  it('renders application/problem+json with type, title, status and field errors', async () => {
    const response = problems
      .validation([{ pointer: '#/name', detail: 'Required' }])
      .getResponse('req-1')
    expect(response.status).toBe(400)
    expect(response.headers.get('Content-Type')).toBe('application/problem+json')
    expect(await response.json()).toEqual({
      type: 'urn:edge-identity:problem:validation',
      title: 'The request is not valid',
      status: 400,
      errors: [{ pointer: '#/name', detail: 'Required' }],
      requestId: 'req-1',
    })
  })

  it('keeps the same title for every instance of a type', () => {
    const a = problems.notFound('a')
    const b = problems.notFound('b')
    expect(a).toBeInstanceOf(ProblemError)
    expect(a.title).toBe(b.title)
    expect(a.type).toBe(b.type)
  })
})
