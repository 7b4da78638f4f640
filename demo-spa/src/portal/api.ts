import type { AuthClient } from '@edge-identity/client-lib'
import type { FieldError, ProblemDetails } from '../../../worker/src/routes/api/resource-types'

export type { FieldError, Page } from '../../../worker/src/routes/api/resource-types'

/** A failed management API call, from its RFC 9457 problem details when it answered some. */
export class ApiProblem extends Error {
  override name = 'ApiProblem'
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: FieldError[] = [],
  ) {
    super(detail ? `${title}: ${detail}` : title)
  }
}

/** The response header and request header of read-your-writes (docs/scale-out.md). */
const BOOKMARK_HEADER = 'Consistency-Bookmark'

/**
 * The management API of one tenant (README "Management API"), called with the user's token.
 * The server may answer reads from a database replica a moment behind; it hands back a bookmark
 * with every answer, and this wrapper sends the newest one it has seen, so a page reads what the
 * portal itself just wrote.
 */
export function createManagementApi(auth: AuthClient, issuer: string, tenantId: string) {
  const base = `${issuer}/api/v1/tenants/${encodeURIComponent(tenantId)}`
  let bookmark: string | undefined

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response
    try {
      response = await auth.fetch(`${base}${path}`, {
        method,
        headers: {
          ...(bookmark !== undefined && { [BOOKMARK_HEADER]: bookmark }),
          ...(body !== undefined && { 'Content-Type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      })
    } catch (error) {
      throw new ApiProblem(0, 'The request did not reach the server', String(error))
    }
    // Bookmarks sort oldest to newest: keep the newest, whatever order answers arrive in.
    const next = response.headers.get(BOOKMARK_HEADER)
    if (next !== null && (bookmark === undefined || next > bookmark)) bookmark = next
    if (response.status === 204) return undefined as T
    const type = response.headers.get('content-type') ?? ''
    if (!response.ok) {
      if (type.startsWith('application/problem+json')) {
        const problem = (await response.json()) as Partial<ProblemDetails>
        throw new ApiProblem(
          response.status,
          problem.title ?? `Error ${response.status}`,
          problem.detail,
          Array.isArray(problem.errors) ? problem.errors : [],
        )
      }
      throw new ApiProblem(response.status, `The server answered ${response.status}`, undefined)
    }
    return (await response.json()) as T
  }

  return {
    get: <T>(path: string) => request<T>('GET', path),
    post: <T>(path: string, body: unknown) => request<T>('POST', path, body),
    put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
    patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
    delete: (path: string) => request<void>('DELETE', path),
  }
}

export type ManagementApi = ReturnType<typeof createManagementApi>

/** `?skip=&count=` of a list request. */
export const pageQuery = (skip: number, count: number) => `?skip=${skip}&count=${count}`
