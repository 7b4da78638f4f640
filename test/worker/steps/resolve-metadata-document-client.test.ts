import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  MetadataDocumentRefused,
  resolveMetadataDocumentClient,
} from '../../../worker/src/steps/resolve-metadata-document-client'
import { findClientById } from '../../../worker/src/storage/clients'
import { testDeps } from '../helpers/deps'
import { documentFor, fakeOutbound, jsonResponse } from '../helpers/metadata-documents'
import { seedDemoTenant, TENANT_ID } from '../helpers/tenant'
import { testDb } from '../helpers/worker'

const T0 = 1_900_000_000
let counter = 0
/** A fresh document URL per test: the D1 rows and the KV negative cache outlive a test. */
const freshUrl = () => `https://agent${++counter}.example/oauth/client.json`

async function setPolicy(policy: 'all' | 'allow-list' | 'none', hosts: string[] = []) {
  await env.DB.prepare(
    'UPDATE tenants SET metadata_document_policy = ?2, metadata_document_hosts = ?3 WHERE id = ?1',
  )
    .bind(TENANT_ID, policy, JSON.stringify(hosts))
    .run()
}

beforeAll(async () => {
  await seedDemoTenant()
})

describe('resolveMetadataDocumentClient (draft-ietf-oauth-client-id-metadata-document §4)', () => {
  it('stores the client of a valid document in the deployment tenant, named by client_name', async () => {
    await setPolicy('all')
    const url = freshUrl()
    const outbound = fakeOutbound({
      [url]: () => jsonResponse(documentFor(url, { logo_uri: 'https://agent.example/logo.png' })),
    })
    const client = await resolveMetadataDocumentClient(testDeps({ now: () => T0 }), url, outbound)
    expect(client).toMatchObject({
      id: url,
      tenantId: TENANT_ID,
      type: 'authorization-code',
      name: 'Example Agent',
      enabled: true,
      redirectUris: documentFor(url).redirect_uris,
      thirdParty: {
        registration: 'metadata-document',
        tokenEndpointAuthMethod: 'none',
        logoUri: 'https://agent.example/logo.png',
      },
    })
    expect(await findClientById(testDb(), url)).toEqual(client)
  })

  it('falls back to the URL host as the name when the document has no client_name', async () => {
    const url = freshUrl()
    const outbound = fakeOutbound({
      [url]: () => jsonResponse(documentFor(url, { client_name: undefined })),
    })
    const client = await resolveMetadataDocumentClient(testDeps({ now: () => T0 }), url, outbound)
    expect(client.name).toBe(new URL(url).host)
  })

  it('refuses a document whose client_id is another URL, and does not fetch it again for a while', async () => {
    const url = freshUrl()
    const outbound = fakeOutbound({
      [url]: () => jsonResponse(documentFor('https://someone-else.example/client.json')),
    })
    const deps = testDeps({ now: () => T0 })
    await expect(resolveMetadataDocumentClient(deps, url, outbound)).rejects.toThrow(
      MetadataDocumentRefused,
    )
    await expect(resolveMetadataDocumentClient(deps, url, outbound)).rejects.toThrow(
      /failed recently/,
    )
    expect(outbound.fetched).toEqual([url])
    expect(await findClientById(testDb(), url)).toBeNull()
  })

  it('refuses documents with a secret, a secret-based method, or private_key_jwt without jwks_uri', async () => {
    for (const overrides of [
      { client_secret: 'shh' },
      { token_endpoint_auth_method: 'client_secret_basic' },
      { token_endpoint_auth_method: 'private_key_jwt' },
      { redirect_uris: ['http://agent.example/cb'] },
      { redirect_uris: [] },
      { grant_types: ['client_credentials'] },
    ]) {
      const url = freshUrl()
      const outbound = fakeOutbound({ [url]: () => jsonResponse(documentFor(url, overrides)) })
      await expect(
        resolveMetadataDocumentClient(testDeps({ now: () => T0 }), url, outbound),
      ).rejects.toThrow(MetadataDocumentRefused)
    }
  })

  it('uses the stored client until its Cache-Control max-age ends, then fetches it again', async () => {
    const url = freshUrl()
    let name = 'First name'
    const outbound = fakeOutbound({
      [url]: () =>
        jsonResponse(documentFor(url, { client_name: name }), {
          'Cache-Control': 'public, max-age=300',
        }),
    })
    await resolveMetadataDocumentClient(testDeps({ now: () => T0 }), url, outbound)
    name = 'Second name'
    const cached = await resolveMetadataDocumentClient(
      testDeps({ now: () => T0 + 299 }),
      url,
      outbound,
    )
    expect(cached.name).toBe('First name')
    expect(outbound.fetched).toHaveLength(1)
    const refreshed = await resolveMetadataDocumentClient(
      testDeps({ now: () => T0 + 300 }),
      url,
      outbound,
    )
    expect(refreshed.name).toBe('Second name')
    expect(refreshed.createdAt).toBe(T0)
    expect(outbound.fetched).toHaveLength(2)
  })

  it('keeps a document at least a minute even with no-store', async () => {
    const url = freshUrl()
    const outbound = fakeOutbound({
      [url]: () => jsonResponse(documentFor(url), { 'Cache-Control': 'no-store' }),
    })
    await resolveMetadataDocumentClient(testDeps({ now: () => T0 }), url, outbound)
    await resolveMetadataDocumentClient(testDeps({ now: () => T0 + 59 }), url, outbound)
    expect(outbound.fetched).toHaveLength(1)
    await resolveMetadataDocumentClient(testDeps({ now: () => T0 + 60 }), url, outbound)
    expect(outbound.fetched).toHaveLength(2)
  })

  it('keeps a client the administrator disabled disabled, without fetching it again', async () => {
    const url = freshUrl()
    const outbound = fakeOutbound({
      [url]: () => jsonResponse(documentFor(url), { 'Cache-Control': 'max-age=60' }),
    })
    await resolveMetadataDocumentClient(testDeps({ now: () => T0 }), url, outbound)
    await env.DB.prepare('UPDATE clients SET enabled = 0 WHERE id = ?1').bind(url).run()
    const later = await resolveMetadataDocumentClient(
      testDeps({ now: () => T0 + 3600 }),
      url,
      outbound,
    )
    expect(later.enabled).toBe(false)
    expect(outbound.fetched).toHaveLength(1)
  })

  it('fetches nothing when the tenant policy is none, or the host is not on its allow-list', async () => {
    const url = freshUrl()
    const outbound = fakeOutbound({ [url]: () => jsonResponse(documentFor(url)) })
    try {
      await setPolicy('none')
      await expect(
        resolveMetadataDocumentClient(testDeps({ now: () => T0 }), url, outbound),
      ).rejects.toThrow(/policy/)
      await setPolicy('allow-list', ['trusted.example'])
      await expect(
        resolveMetadataDocumentClient(testDeps({ now: () => T0 }), url, outbound),
      ).rejects.toThrow(/policy/)
      expect(outbound.fetched).toEqual([])
      expect(outbound.resolved).toEqual([])
      await setPolicy('allow-list', ['trusted.example', new URL(url).hostname])
      await resolveMetadataDocumentClient(testDeps({ now: () => T0 }), url, outbound)
      expect(outbound.fetched).toEqual([url])
    } finally {
      await setPolicy('all')
    }
  })

  it('refuses every URL client id when the deployment names no tenant for them', async () => {
    const url = freshUrl()
    const outbound = fakeOutbound({ [url]: () => jsonResponse(documentFor(url)) })
    const deps = testDeps({ now: () => T0 })
    const config = { ...deps.config, metadataDocumentTenantId: undefined }
    await expect(resolveMetadataDocumentClient({ ...deps, config }, url, outbound)).rejects.toThrow(
      /METADATA_DOCUMENT_TENANT_ID/,
    )
    expect(outbound.fetched).toEqual([])
  })
})
