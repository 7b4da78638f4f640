// The part of node-oidc-provider 9 (which ships no types) that helpers/second-provider.ts uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, Server, ServerResponse } from 'node:http'

  export interface Grant {
    addOIDCScope(scope: string): void
    addOIDCClaims(claims: string[]): void
    addResourceScope(resource: string, scope: string): void
    save(): Promise<string>
  }

  export interface KoaContextWithOIDC {
    req: IncomingMessage
    res: ServerResponse
    path: string
    method: string
    status: number
    body: unknown
    set(name: string, value: string): void
    oidc: {
      client?: { clientId: string }
      session?: { accountId?: string; grantIdFor(clientId: string): string | undefined }
      provider: {
        Grant: {
          new (init: { clientId: string; accountId: string }): Grant
          find(id: string): Promise<Grant | undefined>
        }
      }
    }
  }

  export type Configuration = Record<string, unknown> & {
    findAccount?: (
      ctx: KoaContextWithOIDC,
      id: string,
    ) => { accountId: string; claims: () => Record<string, unknown> }
    loadExistingGrant?: (ctx: KoaContextWithOIDC) => Promise<Grant | undefined>
    features?: Record<string, Record<string, unknown>> & {
      rpInitiatedLogout?: {
        enabled: boolean
        logoutSource?: (ctx: KoaContextWithOIDC, form: string) => Promise<void>
      }
    }
  }

  export default class Provider {
    constructor(issuer: string, configuration: Configuration)
    use(middleware: (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>): void
    listen(port: number): Server
  }
}
