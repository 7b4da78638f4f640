import { describe, expect, it } from 'vitest'
import { newClient } from '../../../../worker/src/domain/client'
import { readAuthorizationRequest } from '../../../../worker/src/steps/authorize/authorization-request'
import {
  checkResponseType,
  requestedResponseMode,
} from '../../../../worker/src/steps/authorize/check-response-type'

const request = (query: string) => readAuthorizationRequest(new URLSearchParams(query))
const client = (type: 'authorization-code' | 'hybrid') =>
  newClient({ id: 'c', tenantId: 't', type, name: 'App', roleIds: [] }, 0)

describe('checkResponseType: response_mode (Multiple Response Type Encoding §2.1)', () => {
  it.each([
    ['code', 'authorization-code'],
    ['code id_token', 'hybrid'],
  ] as const)('accepts response_mode=web_message with response_type %s', (type, kind) => {
    const checked = checkResponseType(
      request(`response_type=${encodeURIComponent(type)}&response_mode=web_message`),
      client(kind),
    )
    expect(checked).toEqual({ responseType: type, responseMode: 'web_message' })
  })

  it('A08 keeps web_message for the error when response_type is missing or unsupported', () => {
    for (const query of [
      'response_mode=web_message',
      'response_type=token&response_mode=web_message',
    ]) {
      expect(requestedResponseMode(request(query))).toBe('web_message')
      expect(() => checkResponseType(request(query), client('authorization-code'))).toThrow()
    }
  })

  it('refuses a response_mode it does not implement, and web_message when repeated', () => {
    expect(() =>
      checkResponseType(request('response_type=code&response_mode=jwt'), client('hybrid')),
    ).toThrow(/Unsupported response_mode/)
    expect(() =>
      checkResponseType(
        request('response_type=code&response_mode=web_message&response_mode=web_message'),
        client('hybrid'),
      ),
    ).toThrow(/response_mode is repeated/)
  })
})
