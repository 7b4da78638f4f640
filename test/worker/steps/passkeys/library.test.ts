import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server'
import { describe, expect, it } from 'vitest'
import { SoftwareAuthenticator } from '../../helpers/software-authenticator'

const origin = 'http://localhost:8787'
const rpID = 'localhost'

describe('@simplewebauthn/server in workerd', () => {
  it('verifies a registration and an authentication made by a software authenticator', async () => {
    const authenticator = new SoftwareAuthenticator()
    const creation = await generateRegistrationOptions({
      rpName: 'edge-identity',
      rpID,
      userName: 'someone@example.com',
      attestationType: 'none',
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    })
    const registration = await verifyRegistrationResponse({
      response: await authenticator.create(creation, origin),
      expectedChallenge: creation.challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
    })
    expect(registration.verified).toBe(true)
    const { credential } = registration.registrationInfo ?? expect.unreachable()

    const request = await generateAuthenticationOptions({ rpID, userVerification: 'required' })
    const assertion = await verifyAuthenticationResponse({
      response: await authenticator.get(request.challenge, origin, rpID),
      expectedChallenge: request.challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential,
      requireUserVerification: true,
    })
    expect(assertion.verified).toBe(true)
    expect(assertion.authenticationInfo.newCounter).toBe(1)
  })

  // The bundle leaves certificate attestation out (wrangler.toml [alias],
  // worker/src/bundle/simplewebauthn-left-out.ts); the tests run with the same aliases.
  const register = async (authenticator: SoftwareAuthenticator) => {
    const creation = await generateRegistrationOptions({
      rpName: 'edge-identity',
      rpID,
      userName: 'someone@example.com',
      attestationType: 'none',
    })
    return verifyRegistrationResponse({
      response: await authenticator.create(creation, origin),
      expectedChallenge: creation.challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
    })
  }

  it('verifies packed self attestation, signed by the new credential key (WebAuthn §8.2)', async () => {
    const registration = await register(new SoftwareAuthenticator({ attestation: 'packed-self' }))
    expect(registration.verified).toBe(true)
    expect(registration.registrationInfo?.fmt).toBe('packed')
  })

  it('refuses certificate attestation (packed with x5c, tpm) with an error, parsing nothing', async () => {
    for (const attestation of ['packed-x5c', 'tpm'] as const) {
      await expect(register(new SoftwareAuthenticator({ attestation }))).rejects.toThrow(
        /certificate attestation is not accepted here/,
      )
    }
  })
})
