import { displayName } from '../../domain/display-name'
import { Id, list, TenantParams, Timestamp } from './schemas'
import * as z from './zod-openapi'

/** An initial access token lives a week unless the administrator says otherwise, 90 days at most. */
export const INITIAL_ACCESS_TOKEN_DEFAULT_SECONDS = 7 * 24 * 3600
export const INITIAL_ACCESS_TOKEN_MAX_SECONDS = 90 * 24 * 3600

export const InitialAccessTokenParams = TenantParams.extend({
  tokenId: Id.openapi({ param: { name: 'tokenId', in: 'path' } }),
})

export const CreateInitialAccessToken = z
  .object({
    description: displayName().openapi({ example: 'MCP clients of the data team' }),
    expiration: z.iso.datetime({ offset: true }).optional().openapi({
      description: 'ISO 8601 date-time, in the future, at most 90 days away; default 7 days',
    }),
    maxUses: z.number().int().min(1).max(100_000).nullable().default(null).openapi({
      description: 'How many clients it may register; null: any number until it expires',
    }),
  })
  .openapi('CreateInitialAccessToken')

export const InitialAccessTokenResource = z
  .object({
    id: Id,
    description: z.string(),
    expiration: Timestamp,
    maxUses: z.number().int().nullable(),
    uses: z.number().int(),
    revoked: z.boolean(),
    createdAt: Timestamp,
  })
  .openapi('InitialAccessToken')

export const CreatedInitialAccessToken = InitialAccessTokenResource.extend({
  value: z.string().openapi({ description: 'The token (RFC 7591 §3 Bearer); shown only here' }),
}).openapi('CreatedInitialAccessToken')

export const InitialAccessTokenList = list(InitialAccessTokenResource, 'InitialAccessTokenList')
