/**
 * What `import ... from 'zod'` gives the deployed bundle and the worker tests (`[alias]` in
 * wrangler.toml): every named export of zod's classic API, unchanged, but a `z` export (and
 * default export) that holds `ZodType` alone.
 *
 * Why: `@hono/zod-openapi` does `import { z } from 'zod'` and hands that object to
 * `extendZodWithOpenApi(z)`, which reads only `z.ZodType` (to add `.openapi()` to its
 * prototype). Handing the namespace to a function makes the bundler build it whole, with every
 * schema class, check, locale and the code generator, whatever the worker uses. With this `z`,
 * the bundle keeps only the zod exports the worker's own code names, which it reaches through
 * `import * as z from 'zod'` (member accesses the bundler can follow; Biome refuses `{ z }`
 * imports in worker/src). 176.2 → 160.4 KB gzip (issue 14, docs/performance.md).
 */
import { ZodType } from 'zod/v4'

export * from 'zod/v4'

/** The `z` that `@hono/zod-openapi` extends and re-exports: `ZodType`, nothing else. */
export const z = Object.freeze({ ZodType })
export default z
