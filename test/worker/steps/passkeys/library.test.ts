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
})
