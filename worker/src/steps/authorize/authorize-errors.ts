import { OAuthError, type OAuthErrorCode } from '../../errors'

/**
 * An authorization request that cannot be answered by a redirect, because its client or redirect
 * URI is not verified (RFC 6749 §4.1.2.1, RFC 9700 §4.11.2): shown as a page, never sent to the
 * unverified URI (checklist A01, A02).
 */
const pageOnly = (code: OAuthErrorCode, description: string, title: string, detail: string) =>
  new OAuthError(code, description, { allowRedirect: false, page: { title, detail } })

/** The page errors of the authorization endpoint and the sign-in form. */
export const authorizePageErrors = {
  noClient: () =>
    pageOnly(
      'invalid_request',
      'client_id is missing or repeated',
      'Unknown application',
      'The request does not name one application.',
    ),
  unknownClient: () =>
    pageOnly(
      'invalid_request',
      'The client is unknown or disabled',
      'Unknown application',
      'The application that sent you here is not known.',
    ),
  notSignInClient: () =>
    pageOnly(
      'unauthorized_client',
      'A client-credentials client cannot sign users in',
      'Not a sign-in application',
      'This application cannot sign users in.',
    ),
  repeatedRedirectUri: () =>
    pageOnly(
      'invalid_request',
      'redirect_uri is repeated',
      'Invalid redirect address',
      'The request names more than one redirect address.',
    ),
  missingRedirectUri: () =>
    pageOnly(
      'invalid_request',
      'redirect_uri is required: the client has several',
      'Invalid redirect address',
      'The request does not say where to return.',
    ),
  unregisteredRedirectUri: () =>
    pageOnly(
      'invalid_request',
      'redirect_uri is not registered for the client',
      'Invalid redirect address',
      'The address to return to is not registered for this application.',
    ),
  signInExpired: () =>
    pageOnly(
      'invalid_request',
      'The pending authorization request is invalid or expired',
      'Sign-in expired',
      'This sign-in page is no longer valid. Go back to the application and sign in again.',
    ),
  consentExpired: () =>
    pageOnly(
      'invalid_request',
      'The pending consent request is invalid or expired',
      'Consent expired',
      'This consent page is no longer valid. Go back to the application and try again.',
    ),
  consentRefused: () =>
    new OAuthError('access_denied', 'The consent form is not from this session', {
      status: 403,
      allowRedirect: false,
      page: {
        title: 'Request refused',
        detail: 'The form could not be verified for the account signed in here.',
      },
    }),
}
