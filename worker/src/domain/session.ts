/**
 * A browser session ends after this long without use (sliding), or this long after sign-in,
 * whichever comes first. Silent renewal uses the session about once per access token lifetime
 * (an hour at most), so an open app keeps its session until the absolute limit.
 */
export const SESSION_IDLE_SECONDS = 24 * 3600
export const SESSION_ABSOLUTE_SECONDS = 7 * 24 * 3600
/** `last_seen_at` is written at most this often, so using a session rarely costs a write. */
export const SESSION_TOUCH_INTERVAL_SECONDS = 5 * 60
/**
 * The session cookie's name, without the `__Host-` prefix Hono's cookie helpers add (the prefix
 * pins it to this origin, path / and Secure; RFC 6265bis §4.1.3.2).
 * @see {@link https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#section-4.1.3.2
 *   RFC 6265bis §4.1.3.2}
 */
export const SESSION_COOKIE_NAME = 'session'
