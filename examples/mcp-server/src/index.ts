import { mcpApp } from './app'

interface Env {
  ISSUER: string
  RESOURCE: string
}

let app: { env: Env; app: ReturnType<typeof mcpApp> } | undefined

/**
 * Built once per isolate (the middleware caches the issuer's keys), again only if the vars
 * change.
 */
export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    if (app === undefined || app.env.ISSUER !== env.ISSUER || app.env.RESOURCE !== env.RESOURCE) {
      app = { env, app: mcpApp({ issuer: env.ISSUER, resource: env.RESOURCE }) }
    }
    return app.app.fetch(request, env, ctx)
  },
} satisfies ExportedHandler<Env>
