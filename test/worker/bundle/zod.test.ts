import { describe, expect, it } from 'vitest'
import { z as imported } from 'zod'
import { z } from '../../../worker/src/bundle/zod'
import { Id } from '../../../worker/src/routes/api/schemas'

// wrangler.toml aliases `zod` to worker/src/bundle/zod.ts for the deployed bundle (issue 14), and
// test/worker/vitest.config.ts does the same, so these run against what ships.
describe("the bundle's zod (zod without its 50 locales and its code generator)", () => {
  it("is what `import { z } from 'zod'` gives", () => {
    expect(imported).toBe(z)
  })

  it('keeps English only among the locales, in z.locales and z.core.locales', () => {
    expect(Object.keys(z.locales)).toEqual(['en'])
    expect(Object.keys(z.core.locales)).toEqual(['en'])
  })

  it("shares zod's classes with @hono/zod-openapi, so every schema has .openapi()", () => {
    expect(Id).toBeInstanceOf(z.ZodType)
    expect('openapi' in z.string()).toBe(true)
  })

  it('still validates and explains in English', () => {
    const result = z.object({ name: z.string().min(2) }).safeParse({ name: 1 })
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.message).toBe('Invalid input: expected string, received number')
    expect(z.email().safeParse('a@example.com').success).toBe(true)
  })

  it("compiles as zod's compiler does where code generation is forbidden: not at all", () => {
    const schema = z.object({ name: z.string() })
    expect(z.compile(schema)).toBe(schema)
    expect(() => z.compile(schema, { strict: true })).toThrow(z.ZodCompileUnsupportedError)
    expect(z.core.compile).toBe(z.compile)
  })

  it('says why z.fromJSONSchema is missing instead of returning something wrong', () => {
    expect(() => z.fromJSONSchema({ type: 'string' })).toThrow(/left out of the worker bundle/)
  })
})
