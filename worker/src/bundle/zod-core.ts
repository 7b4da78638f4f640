/**
 * `zod/v4/core` as the deployed bundle sees it: everything, except that `locales` holds English
 * only and the ahead-of-time compiler is left out. See `./zod.ts` for why.
 */

import { ZodCompileUnsupportedError } from 'zod/v4/core'
import en from 'zod/v4/locales/en.js'

export * from 'zod/v4/core'
/** The error-message locales: English only (zod's default, the one every message uses here). */
export const locales = Object.freeze({ en })

/**
 * zod's compiler generates a parser with `new Function`, which Workers forbid, so in a worker it
 * always fails with this error (zod's own `compileFn` throws the same). Leaving out the code
 * generator (about 30 KB minified) changes nothing but the bundle's size.
 */
export function compileFn(..._args: unknown[]): never {
  throw new ZodCompileUnsupportedError('code generation (new Function), which Workers forbid')
}

/**
 * What zod's `compile` does in a worker: the schema back unchanged, on the runtime parser, or
 * under `{ strict: true }` the compiler's refusal.
 */
export function compile<T>(schema: T, options?: { strict?: boolean }): T {
  if (options?.strict) compileFn()
  return schema
}
