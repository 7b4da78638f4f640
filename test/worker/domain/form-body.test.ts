import { describe, expect, it } from 'vitest'
import { MAX_FORM_BYTES, parseFormBody } from '../../../worker/src/domain/form-body'
import { OAuthError } from '../../../worker/src/errors'

const bytes = (text: string | Uint8Array) =>
  (typeof text === 'string' ? new TextEncoder().encode(text) : text).buffer as ArrayBuffer
const FORM = 'application/x-www-form-urlencoded'

function refusal(contentType: string | undefined, body: ArrayBuffer): OAuthError {
  try {
    parseFormBody(contentType, body)
  } catch (error) {
    if (error instanceof OAuthError) return error
    throw error
  }
  throw new Error('the body was accepted')
}

describe('parseFormBody', () => {
  it('reads every value of every field, in UTF-8, with + as a space', () => {
    const fields = parseFormBody(`${FORM}; Charset="UTF-8"`, bytes('a=1&a=2&b=x+y%C3%A9&c&=v&d='))
    expect([...fields]).toEqual([
      ['a', ['1', '2']],
      ['b', ['x yé']],
      ['c', ['']],
      ['', ['v']],
      ['d', ['']],
    ])
  })

  it.each([
    ['multipart', 'multipart/form-data; boundary=x', '--x\r\nbroken', 415],
    ['JSON', 'application/json', '{}', 415],
    ['no content type', undefined, 'a=1', 415],
    ['another charset', `${FORM}; charset=windows-1252`, 'a=1', 415],
    ['a malformed percent-escape', FORM, 'a=%zz', 400],
    ['an escape that is not UTF-8', FORM, 'a=%E9', 400],
    ['bytes that are not UTF-8', FORM, new Uint8Array([0x61, 0x3d, 0xff])],
    ['a body over the limit', FORM, `a=${'x'.repeat(MAX_FORM_BYTES)}`, 413],
  ] as const)('N07 refuses %s with invalid_request and a 4xx', (_, type, body, status = 400) => {
    const error = refusal(type, bytes(body))
    expect(error.code).toBe('invalid_request')
    expect(error.status).toBe(status)
    expect(error.page?.title).toBe('Request refused')
  })
})
