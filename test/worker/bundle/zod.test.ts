import { describe, expect, it } from 'vitest'
import * as zod from 'zod'
import { z as imported } from 'zod'
import { z } from '../../../worker/src/bundle/zod'
import { Id } from '../../../worker/src/routes/api/schemas'

// wrangler.toml aliases `zod` to worker/src/bundle/zod.ts for the deployed bundle (issue 14), and
// test/worker/vitest.config.ts does the same, so these run against what ships.
describe("the bundle's zod (a `z` object that keeps only what @hono/zod-openapi extends)", () => {
  it("is what `import { z } from 'zod'` gives (in @hono/zod-openapi too: the alias is global)", () => {
    expect(imported).toBe(z)
  })

  it('holds ZodType alone, so no code can hand the whole namespace around', () => {
    expect(Object.keys(z)).toEqual(['ZodType'])
    expect(z.ZodType).toBe(zod.ZodType)
  })

  it("shares zod's classes with @hono/zod-openapi, so every schema has .openapi()", () => {
    expect(Id).toBeInstanceOf(zod.ZodType)
    expect('openapi' in zod.string()).toBe(true)
    expect('openapi' in Id).toBe(true)
  })

  it('still validates and explains in English through `import * as z`', () => {
    const result = zod.object({ name: zod.string().min(2) }).safeParse({ name: 1 })
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.message).toBe('Invalid input: expected string, received number')
    expect(zod.string().email().safeParse('a@example.com').success).toBe(true)
  })
})
