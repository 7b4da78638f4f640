import { Problem } from './schemas'
import type * as z from './zod-openapi'

const DESCRIPTIONS = {
  400: 'The request is not valid (one entry per invalid field)',
  401: 'No valid bearer access token',
  403: 'The token is not an Account Administrator token of this tenant',
  404: 'No such resource in this tenant',
  409: 'A limit would be exceeded, or the change conflicts with the current state',
} as const

type ProblemStatus = keyof typeof DESCRIPTIONS

/**
 * RFC 9457 problem responses, for the OpenAPI document.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9457 RFC 9457}
 */
export function problemResponses(...statuses: ProblemStatus[]) {
  return Object.fromEntries(
    [401, 403, ...statuses].map((status) => [
      status,
      {
        description: DESCRIPTIONS[status as ProblemStatus],
        content: { 'application/problem+json': { schema: Problem } },
      },
    ]),
  )
}

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } }
}
