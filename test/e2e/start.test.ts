import { processDiscoveryResponse } from 'oauth4webapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './helpers/browser'
import {
  groupAlive,
  MCP_SERVER,
  PORTS,
  portOpen,
  SERVER,
  SPA,
  type Stack,
  startStack,
  waitFor,
  waitForPortsFree,
} from './helpers/stack'

describe('npm start (product contract, docs/architecture.md)', () => {
  let stack: Stack

  beforeAll(async () => {
    stack = await startStack()
    expect(stack.output(), 'npm start did not become ready').toContain('Press Ctrl-C to stop.')
  }, 180_000)

  afterAll(async () => {
    await stack?.cleanup()
  })

  it('prints the URLs and the demo credentials', () => {
    const output = stack.output()
    expect(output).toContain(SERVER)
    expect(output).toContain(SPA)
    expect(output).toContain(`${MCP_SERVER}/mcp`)
    expect(output).toContain('admin@demo.example / demo-admin-password')
    expect(output).toMatch(/Admin client\s+[0-9a-f-]{36} \/ \S+/)
  })

  it('serves discovery that oauth4webapi accepts for the issuer http://localhost:8787', async () => {
    const response = await fetch(`${SERVER}/.well-known/openid-configuration`)
    const metadata = await processDiscoveryResponse(new URL(SERVER), response)
    expect(metadata.issuer).toBe(SERVER)
  })

  it('has seeded the demo tenant: the demo admin client exists', async () => {
    const seeded = await fetch(`${SERVER}/ops/dev-seed`, {
      method: 'POST',
      headers: { Authorization: 'Bearer dev-only-ops-token-0123456789abcdef0123456789' },
    })
    expect(await seeded.json()).toEqual({
      tenantCreated: false,
      adminCreated: false,
      adminPasswordUpdated: false,
    })
  })

  it('serves the demo SPA, which reaches the identity server from Chromium', async () => {
    const browser = await launchBrowser()
    try {
      const page = await browser.context.newPage()
      await page.goto(SPA)
      await expect
        .poll(() => page.locator('dd').first().textContent(), { timeout: 20_000 })
        .toBe(SERVER)
    } finally {
      await browser.close()
    }
  })

  it('stops every process it started within 10 s of SIGTERM to the npm start process', async () => {
    stack.child.kill('SIGTERM')
    const started = Date.now()
    await waitFor(() => !groupAlive(stack.child), 10_000)
    expect(Date.now() - started).toBeLessThan(10_000)
    for (const port of PORTS) expect(await portOpen(port), `port ${port}`).toBe(false)
  })
})

describe('npm start with a bad configuration', () => {
  it('refuses a malformed ISSUER with a message that names it, before starting anything', async () => {
    const stack = await startStack({ ISSUER: 'http://localhost:8787/' })
    try {
      expect(await stack.exited).toBe(1)
      expect(stack.output()).toContain('ISSUER must not end with "/"')
      await waitForPortsFree(5000)
    } finally {
      await stack.cleanup()
    }
  }, 120_000)
})
