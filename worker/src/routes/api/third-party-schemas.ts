import { list, TenantParams, Timestamp } from './schemas'
import * as z from './zod-openapi'

// The tenant's third-party policy and its third-party clients (issue 17; see schemas.ts).

/** A host name as an allow-list holds it: lower case, letters, digits, hyphens and dots. */
const Host = z
  .string()
  .max(253)
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/,
    'Must be a host name in lower case, such as app.example.com',
  )
  .openapi({ example: 'app.example.com' })

export const ThirdPartyPolicy = z
  .object({
    metadataDocuments: z.object({
      policy: z.enum(['all', 'allow-list', 'none']).openapi({
        description:
          'Which clients identified by a metadata document URL may sign users in: all hosts, ' +
          'only the hosts listed, or none',
      }),
      hosts: z
        .array(Host)
        .max(100)
        .refine((hosts) => new Set(hosts).size === hosts.length, 'Duplicate values')
        .default([])
        .openapi({ description: 'The allow-list (kept, but unused, under the other policies)' }),
    }),
    dynamicRegistration: z
      .boolean()
      .openapi({ description: 'Whether clients may register themselves (RFC 7591)' }),
  })
  .openapi('ThirdPartyPolicy')

export const ThirdPartyClient = z
  .object({
    id: z.string().openapi({ description: 'A metadata document URL, or a registered id' }),
    name: z.string(),
    registration: z.enum(['metadata-document', 'dynamic']),
    enabled: z.boolean(),
    redirectUris: z.array(z.string()),
    postLogoutRedirectUris: z.array(z.string()),
    tokenEndpointAuthMethod: z.enum(['none', 'private_key_jwt']),
    jwksUri: z.string().nullable(),
    logoUri: z.string().nullable(),
    clientUri: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('ThirdPartyClient')

export const ThirdPartyClientList = list(ThirdPartyClient, 'ThirdPartyClientList')

export const ThirdPartyClientPatch = z
  .object({ enabled: z.boolean() })
  .openapi('ThirdPartyClientPatch', {
    description: 'Disabling ends the client’s tokens and grants; a refetch never enables it again',
  })

/** A third-party client id may be a URL (up to 2000 characters), percent-encoded in the path. */
export const ThirdPartyClientParams = TenantParams.extend({
  clientId: z
    .string()
    .min(1)
    .max(2000)
    .openapi({ param: { name: 'clientId', in: 'path' }, description: 'Percent-encoded' }),
})
