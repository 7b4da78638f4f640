import { base64url, createLocalJWKSet, decodeJwt, type JSONWebKeySet, jwtVerify } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { backChannel, createHybridClient, HYBRID_REDIRECT, hybridAuthorize } from './helpers/hybrid'
import { seedDemoTenant } from './helpers/tenant'
import { fetchWorker, ISSUER } from './helpers/worker'

beforeAll(seedDemoTenant)

async function jwks(): Promise<JSONWebKeySet> {
  return (await (await fetchWorker('/.well-known/jwks.json')).json()) as JSONWebKeySet
}

async function cHash(code: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(code)),
  )
  return base64url.encode(digest.slice(0, 16))
}

describe('hybrid flow: code id_token (OIDC Core §3.3)', () => {
  it('G04 the front-channel ID token has a correct c_hash, the nonce, and no at_hash', async () => {
    const client = await createHybridClient()
    const { params } = await hybridAuthorize(client, {
      response_type: 'code id_token',
      nonce: 'n-0S6_WzA2Mj',
    })
    const code = params.get('code') ?? ''
    const { payload, protectedHeader } = await jwtVerify(
      params.get('id_token') ?? '',
      createLocalJWKSet(await jwks()),
      {
        issuer: ISSUER,
        audience: client.id,
      },
    )
    expect(protectedHeader.alg).toBe('RS256')
    expect(payload.c_hash).toBe(await cHash(code))
    expect(payload.nonce).toBe('n-0S6_WzA2Mj')
    expect(payload).not.toHaveProperty('at_hash')
  })

  it('G05 the token-endpoint ID token has the same iss and sub as the front-channel one', async () => {
    const client = await createHybridClient()
    const { params } = await hybridAuthorize(client, {
      response_type: 'code id_token',
      response_mode: 'fragment',
    })
    const front = decodeJwt(params.get('id_token') ?? '')
    const response = await backChannel(client, '/token', {
      grant_type: 'authorization_code',
      code: params.get('code') ?? '',
      redirect_uri: HYBRID_REDIRECT,
    })
    const back = decodeJwt(((await response.json()) as { id_token: string }).id_token)
    expect(back.iss).toBe(front.iss)
    expect(back.sub).toBe(front.sub)
    expect(back.nonce).toBe(front.nonce)
    expect(back).not.toHaveProperty('c_hash')
  })

  it('B07 I02 discovery advertises exactly what works', async () => {
    const metadata = (await (
      await fetchWorker('/.well-known/openid-configuration')
    ).json()) as Record<string, unknown>
    expect(metadata.response_types_supported).toEqual(['code', 'code id_token'])
    expect(metadata.code_challenge_methods_supported).toEqual(['S256'])
    expect(metadata.id_token_signing_alg_values_supported).toContain('RS256')
    expect(metadata.subject_types_supported).toEqual(['public'])
    expect(metadata.scopes_supported).toContain('openid')
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true)
    expect(metadata.grant_types_supported).toEqual([
      'authorization_code',
      'refresh_token',
      'client_credentials',
    ])
  })
})
