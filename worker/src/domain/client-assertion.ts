/**
 * `client_assertion_type` of a JWT client assertion (RFC 7523 §2.2).
 * @see {@link https://www.rfc-editor.org/rfc/rfc7523#section-2.2 RFC 7523 §2.2}
 */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

/**
 * The signature algorithms accepted in private_key_jwt assertions: asymmetric only. A symmetric
 * (HS*) assertion would need a shared secret, which a registered client never has, and `none`
 * is no signature at all (OIDC Core §9).
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#ClientAuthentication OIDC Core §9}
 */
export const CLIENT_ASSERTION_SIGNING_ALGS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const

/**
 * An assertion may expire at most this long after it is checked: it is made for one request,
 * and the jti store keeps every accepted one until it expires (RFC 7523 §3 item 4, 7).
 */
export const MAX_CLIENT_ASSERTION_LIFETIME_SECONDS = 300
