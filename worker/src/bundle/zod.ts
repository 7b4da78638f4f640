/**
 * What `import ... from 'zod'` gives the deployed bundle (`alias` in wrangler.toml): zod's classic
 * API unchanged, except that `z.locales` and `z.core.locales` hold English only,
 * `z.fromJSONSchema` throws (nothing here builds schemas from JSON Schema documents), and
 * `z.compile` is what zod's compiler amounts to where code generation is forbidden (`./zod-core.ts`).
 *
 * Why: `@hono/zod-openapi` passes the whole `z` namespace to `extendZodWithOpenApi(z)`, so the
 * bundler must build that object with every export, and zod's namespace exports `locales`: the
 * error messages of 50 languages (about 200 KB minified) that nothing here uses. A local export
 * takes precedence over the same name from `export *`, which is how `locales`, `core`,
 * `compile` and `fromJSONSchema` are replaced below while every other export stays zod's own.
 */
import * as z from './zod'
import * as zodCore from './zod-core'

export * from 'zod/v4'
export { compile, locales } from './zod-core'

/**
 * Building a zod schema from a JSON Schema document (12 KB minified): nothing here does that, so
 * the bundle's `z.fromJSONSchema` says so instead of pulling the converter in.
 */
export function fromJSONSchema(..._args: unknown[]): never {
  throw new Error('z.fromJSONSchema is left out of the worker bundle (worker/src/bundle/zod.ts)')
}
export { z, zodCore as core }
export default z
