import { describe, expect, it } from 'vitest'
import { fetchWorker } from '../helpers/worker'

interface Document {
  openapi: string
  paths: Record<
    string,
    Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>
  >
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> }
}

describe('OpenAPI document (/api/v1/openapi.json)', () => {
  it('is OpenAPI 3.1 and describes every management route', async () => {
    const response = await fetchWorker('/api/v1/openapi.json')
    expect(response.status).toBe(200)
    const doc = (await response.json()) as Document
    expect(doc.openapi).toBe('3.1.0')
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    )
    for (const collection of [
      'client-credential-clients',
      'authorization-code-clients',
      'hybrid-clients',
    ]) {
      for (const op of ['GET', 'POST'])
        expect(operations).toContain(`${op} /tenants/{tenantId}/${collection}`)
      for (const op of ['GET', 'PUT', 'DELETE']) {
        expect(operations).toContain(`${op} /tenants/{tenantId}/${collection}/{clientId}`)
      }
    }
    expect(operations).toContain(
      'POST /tenants/{tenantId}/client-credential-clients/{clientId}/secrets',
    )
    expect(operations).toContain(
      'DELETE /tenants/{tenantId}/hybrid-clients/{clientId}/secrets/{secretId}',
    )
    expect(operations).not.toContain(
      'POST /tenants/{tenantId}/authorization-code-clients/{clientId}/secrets',
    )
    expect(operations).toContain('GET /tenants/{tenantId}/roles')
  })

  it('is generated from the validating schemas: the contract field names are there', async () => {
    const doc = (await (await fetchWorker('/api/v1/openapi.json')).json()) as Document
    const create = doc.components.schemas.CreateHybridClient?.properties ?? {}
    expect(Object.keys(create).sort()).toEqual(
      [
        'accessTokenLifetime',
        'allowRefreshToken',
        'enabled',
        'name',
        'postLogoutRedirectUris',
        'redirectUris',
        'requireDpop',
        'roleIds',
        'secretDescription',
        'secretExpiration',
      ].sort(),
    )
    expect(doc.components.schemas.Problem).toBeDefined()
  })

  it('has a browsable reference page with no script and no third-party resource', async () => {
    const response = await fetchWorker('/api/v1/reference')
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/)
    expect(response.headers.get('Content-Security-Policy')).toContain("default-src 'none'")
    const html = await response.text()
    expect(html).toContain('/tenants/{tenantId}/client-credential-clients')
    expect(html).not.toMatch(/<script|https?:\/\/(?!localhost)/)
    const css = await fetchWorker('/api/v1/reference.css')
    expect(css.headers.get('Content-Type')).toMatch(/^text\/css/)
  })
})

describe('management API: CORS', () => {
  it('lets any origin call it with a bearer token (no cookies are involved), errors included', async () => {
    const preflight = await fetchWorker('/api/v1/tenants/t/roles', {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(preflight.headers.get('Access-Control-Allow-Headers')).toMatch(/Authorization/)
    const unauthorized = await fetchWorker('/api/v1/tenants/t/roles', {
      headers: { Origin: 'http://localhost:5173' },
    })
    expect(unauthorized.status).toBe(401)
    expect(unauthorized.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(unauthorized.headers.get('Access-Control-Allow-Credentials')).toBeNull()
  })
})
