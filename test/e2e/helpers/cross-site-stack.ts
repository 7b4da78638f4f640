import type { TestProject } from 'vitest/node'
import { type Stack, startStack } from './stack'

// The cross-site layout (docs/toolchain.md "Browser tests"): the real `npm start` with the issuer
// http://127.0.0.1:8787 while the demo SPA stays on http://localhost:5173. To the browser these
// are two sites, so the server's session cookie is a third-party cookie in the SPA's iframe.

/** The issuer of this layout. */
export const CROSS_SITE_SERVER = 'http://127.0.0.1:8787'

let stack: Stack | undefined

export async function setup(_project: TestProject): Promise<void> {
  stack = await startStack({ ISSUER: CROSS_SITE_SERVER })
  if (!stack.output().includes('Press Ctrl-C to stop.')) {
    const output = stack.output()
    await stack.cleanup()
    throw new Error(`npm start (ISSUER=${CROSS_SITE_SERVER}) did not become ready:\n${output}`)
  }
  // In CI the first answer of a stack started right after another one can take longer than the
  // library's 10 s request deadline (the SPA then shows "Renewal problem: timeout"): wait until
  // the identity server answers discovery before any test runs.
  const deadline = Date.now() + 60_000
  for (;;) {
    const answered = await fetch(`${CROSS_SITE_SERVER}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(15_000),
    }).then(
      (response) => response.ok,
      () => false,
    )
    if (answered) break
    if (Date.now() > deadline) {
      await stack.cleanup()
      throw new Error(`${CROSS_SITE_SERVER} did not answer discovery within 60 s`)
    }
  }
}

export async function teardown(): Promise<void> {
  await stack?.cleanup()
}
