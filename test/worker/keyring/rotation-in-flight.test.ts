import { env } from 'cloudflare:workers'
import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { rotateSigningKeys } from '../../../worker/src/keyring/rotate'
import { Db } from '../../../worker/src/storage/db'
import { ISSUER, testApp, testDb } from '../helpers/worker'

/** A D1 handle whose reads answer only once `open()` is called: a load held in flight. */
class GatedDb extends Db {
  open = () => {}
  readonly #gate = new Promise<void>((resolve) => {
    this.open = resolve
  })

  override async all<T>(sql: string, ...binds: unknown[]): Promise<T[]> {
    const rows = await super.all<T>(sql, ...binds)
    await this.#gate
    return rows
  }
}

const inFlight = () => new Promise((resolve) => setTimeout(resolve, 50))

async function freshKeyring() {
  await env.DB.prepare('DELETE FROM signing_keys').run()
  await env.CACHE.delete('jwks:v1')
  return testApp().services.keyring
}

describe('a revoking rotation in this isolate while keys are being loaded', () => {
  it('G07 signs with the new key afterwards, not with the revoked key a load in flight read', async () => {
    const keyring = await freshKeyring()
    const revoked = (await keyring.signingKey(testDb(), env.CACHE, 'ES256')).kid
    keyring.forgetKeys()
    const gated = new GatedDb(env.DB)
    const loading = keyring.signingKey(gated, env.CACHE, 'ES256')
    await inFlight()
    await rotateSigningKeys(keyring, testDb(), env.CACHE, { force: true, revokePrevious: true })
    gated.open()
    expect((await loading).kid).toBe(revoked)
    expect((await keyring.signingKey(testDb(), env.CACHE, 'ES256')).kid).not.toBe(revoked)
  })

  it('G07 refuses a token of the revoked key afterwards, whatever a load in flight read', async () => {
    const keyring = await freshKeyring()
    const key = await keyring.signingKey(testDb(), env.CACHE, 'ES256')
    const token = await new SignJWT({ sub: 'someone' })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key.key)
    const gated = new GatedDb(env.DB)
    const verifying = keyring.verify(gated, token, { issuer: ISSUER })
    await inFlight()
    await rotateSigningKeys(keyring, testDb(), env.CACHE, { force: true, revokePrevious: true })
    gated.open()
    await verifying
    await expect(keyring.verify(testDb(), token, { issuer: ISSUER })).rejects.toThrow()
  })
})
