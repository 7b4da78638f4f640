import { env } from 'cloudflare:workers'
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  type JSONWebKeySet,
  jwtVerify,
  SignJWT,
} from 'jose'
import { beforeEach, describe, expect, it } from 'vitest'
import { decryptWithKey, deriveKeyEncryptionKey } from '../../worker/src/crypto/key-encryption'
import type { SigningAlg } from '../../worker/src/crypto/signing-keys'
import { KEY_RETENTION_SECONDS } from '../../worker/src/domain/key-rotation'
import type { Keyring } from '../../worker/src/keyring/keyring'
import { rotateSigningKeys } from '../../worker/src/keyring/rotate'
import type { SigningKeyRow } from '../../worker/src/storage/signing-keys'
import { fetchWorker, ISSUER, testApp, testConfig, testDb } from './helpers/worker'

async function jwks(): Promise<JSONWebKeySet> {
  return (await (await fetchWorker('/.well-known/jwks.json')).json()) as JSONWebKeySet
}

async function sign(keyring: Keyring, alg: SigningAlg): Promise<string> {
  const key = await keyring.signingKey(testDb(), env.CACHE, alg)
  return new SignJWT({ sub: 'someone' })
    .setProtectedHeader({ alg, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key.key)
}

async function verify(token: string) {
  return jwtVerify(token, createLocalJWKSet(await jwks()), { issuer: ISSUER })
}

async function keyRows(): Promise<SigningKeyRow[]> {
  return (await env.DB.prepare('SELECT * FROM signing_keys').all<SigningKeyRow>()).results
}

beforeEach(async () => {
  await env.DB.prepare('DELETE FROM signing_keys').run()
  await env.CACHE.delete('jwks:v1')
})

describe('signing keys', () => {
  it.each(['ES256', 'RS256'] as const)(
    'JWKS keys verify a %s token signed by the worker',
    async (alg) => {
      const { services } = testApp()
      const token = await sign(services.keyring, alg)
      const { protectedHeader } = await verify(token)
      expect(protectedHeader.alg).toBe(alg)
    },
  )

  it('I04 the JWKS holds only public members, each key with a unique kid, alg and use', async () => {
    await sign(testApp().services.keyring, 'ES256')
    const { keys } = await jwks()
    expect(keys.length).toBeGreaterThanOrEqual(2)
    for (const key of keys) {
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'])
        expect(key).not.toHaveProperty(member)
      expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect(key.use).toBe('sig')
      expect(['ES256', 'RS256']).toContain(key.alg)
    }
    expect(new Set(keys.map((k) => k.kid)).size).toBe(keys.length)
  })

  it('serves the JWKS as application/jwk-set+json with a public cache lifetime', async () => {
    const response = await fetchWorker('/.well-known/jwks.json')
    expect(response.headers.get('Content-Type')).toBe('application/jwk-set+json')
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=300')
  })

  it('stores private keys only encrypted, bound to their kid, under KEY_ENCRYPTION_SECRET', async () => {
    await sign(testApp().services.keyring, 'RS256')
    const rows = await keyRows()
    expect(rows.length).toBe(2)
    const kek = await deriveKeyEncryptionKey(testConfig().keyEncryptionSecret)
    for (const row of rows) {
      expect(row.private_jwk_ciphertext).toMatch(/^v1\.[\w-]+\.[\w-]+$/)
      expect(row.private_jwk_ciphertext).not.toContain('"d"')
      const jwk = JSON.parse(await decryptWithKey(kek, row.private_jwk_ciphertext, row.kid))
      expect(jwk.d).toEqual(expect.any(String))
      // Bound to its kid: the same ciphertext under another kid does not decrypt.
      await expect(decryptWithKey(kek, row.private_jwk_ciphertext, 'another-kid')).rejects.toThrow()
    }
    const otherKek = await deriveKeyEncryptionKey('another-secret-of-at-least-thirty-two-chars')
    const [row] = rows
    await expect(
      decryptWithKey(otherKek, row?.private_jwk_ciphertext ?? '', row?.kid ?? ''),
    ).rejects.toThrow()
  })

  it('creates exactly one active key per algorithm when isolates race on first use', async () => {
    const isolates = Array.from({ length: 6 }, () => testApp().services.keyring)
    const keys = await Promise.all(
      isolates.map((keyring) => keyring.signingKey(testDb(), env.CACHE, 'ES256')),
    )
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1)
    const active = (await keyRows()).filter((row) => row.state === 'active')
    expect(active.map((row) => row.alg).sort()).toEqual(['ES256', 'RS256'])
  })
})

describe('signing key rotation (OIDC Core §10.1.1)', () => {
  it('G07 publishes the next key before it signs, and keeps the old key until its tokens expired', async () => {
    const { services } = testApp()
    const db = testDb()
    const before = await sign(services.keyring, 'ES256')
    const oldKid = decodeProtectedHeader(before).kid

    // The daily job first pre-publishes a next key; the active key keeps signing.
    const first = await rotateSigningKeys(services.keyring, db, env.CACHE)
    expect(first.created.length).toBe(2)
    expect(first.promoted).toEqual([])
    const published = (await jwks()).keys.map((k) => k.kid)
    for (const kid of first.created) expect(published).toContain(kid)
    expect(decodeProtectedHeader(await sign(services.keyring, 'ES256')).kid).toBe(oldKid)

    // Not due yet: a second run changes nothing.
    const second = await rotateSigningKeys(services.keyring, db, env.CACHE)
    expect(second).toEqual({ created: [], promoted: [], deleted: 0 })

    // Rotation: the pre-published key signs; the old key is retired but still verifies.
    const forced = await rotateSigningKeys(services.keyring, db, env.CACHE, { force: true })
    expect(forced.promoted.length).toBe(2)
    const after = await sign(services.keyring, 'ES256')
    const newKid = decodeProtectedHeader(after).kid
    expect(first.created).toContain(newKid)
    expect(newKid).not.toBe(oldKid)
    await expect(verify(before)).resolves.toBeTruthy()
    await expect(verify(after)).resolves.toBeTruthy()
    // And the key after that is already pre-published.
    expect((await jwks()).keys.length).toBe(6)

    // Once the retention (longer than any token's lifetime) is over, the old key leaves the JWKS.
    const retired = (await keyRows()).find((row) => row.kid === oldKid)
    expect(retired?.state).toBe('retired')
    expect(retired?.delete_after).toBeGreaterThanOrEqual(
      (retired?.retired_at ?? 0) + KEY_RETENTION_SECONDS,
    )
    await env.DB.prepare("UPDATE signing_keys SET delete_after = 0 WHERE state = 'retired'").run()
    const cleanup = await rotateSigningKeys(services.keyring, db, env.CACHE)
    expect(cleanup.deleted).toBe(2)
    expect((await jwks()).keys.map((k) => k.kid)).not.toContain(oldKid)
    await expect(verify(before)).rejects.toThrow()
  })

  it('rotates on the daily schedule once the active key is old and the next key was published long enough', async () => {
    const { services } = testApp()
    const db = testDb()
    await sign(services.keyring, 'ES256')
    await rotateSigningKeys(services.keyring, db, env.CACHE)
    const month = 31 * 24 * 3600
    await env.DB.prepare(
      'UPDATE signing_keys SET created_at = created_at - ?1, activated_at = activated_at - ?1',
    )
      .bind(month)
      .run()
    const report = await rotateSigningKeys(services.keyring, db, env.CACHE)
    expect(report.promoted.length).toBe(2)
  })
})

describe('emergency rotation (suspected key compromise)', () => {
  it('drops the previous key from the JWKS at once, so tokens it signed stop verifying', async () => {
    const { services } = testApp()
    const db = testDb()
    const before = await sign(services.keyring, 'ES256')
    const oldKid = decodeProtectedHeader(before).kid
    await rotateSigningKeys(services.keyring, db, env.CACHE, { force: true, revokePrevious: true })
    const published = (await jwks()).keys.map((k) => k.kid)
    expect(published).not.toContain(oldKid)
    await expect(verify(before)).rejects.toThrow()
    const after = await sign(services.keyring, 'ES256')
    await expect(verify(after)).resolves.toBeTruthy()
  })
})
