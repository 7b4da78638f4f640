/**
 * The media type of a `Content-Type` header value, lowercased and without parameters
 * (`application/x-www-form-urlencoded; charset=UTF-8` -> `application/x-www-form-urlencoded`),
 * or undefined when there is none.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9110#section-8.3.1 RFC 9110 §8.3.1}
 */
export function mediaType(contentType: string | null | undefined): string | undefined {
  const type = contentType?.split(';', 1)[0]?.trim().toLowerCase()
  return type === '' ? undefined : type
}
