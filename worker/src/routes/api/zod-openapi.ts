/**
 * zod as the management API's schemas use it: with `.openapi()`, which `@hono/zod-openapi` adds to
 * zod's `ZodType` when it loads (at runtime, and in types through its module augmentation). The
 * schema modules here import zod from this module, never from 'zod' (Biome refuses it in this
 * folder), so the extension has run before their module-level `.openapi()` calls whatever order
 * the bundler evaluates modules in. Import it as a namespace (`import * as z`), so the bundle keeps
 * only the zod exports named (worker/src/bundle/zod.ts).
 */
import '@hono/zod-openapi'

export * from 'zod'
