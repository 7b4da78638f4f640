import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { type Stack, startStack } from './stack'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A throwaway self-signed certificate for `localhost` that the stack's workerd trusts. */
    localhostCert: string
    /** Its private key (PEM), for a test's own https server. */
    localhostKey: string
  }
}

// One `npm start` stack (fresh state) for every end-to-end file of this project; it is stopped,
// its process group killed and its ports freed at the end, even when tests fail.
let stack: Stack | undefined
let certDir: string | undefined

export async function setup(project: TestProject): Promise<void> {
  // Tests that serve something over https on localhost (a client ID metadata document, which
  // the MCP SDK only accepts as an https URL) need a certificate the identity server trusts:
  // Miniflare reads NODE_EXTRA_CA_CERTS when it loads and hands it to workerd. The certificate
  // lives only in a temp dir for this run; nothing touches the system's trust store.
  certDir = mkdtempSync(path.join(tmpdir(), 'edge-identity-cert-'))
  const cert = path.join(certDir, 'localhost.crt')
  const key = path.join(certDir, 'localhost.key')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  )
  project.provide('localhostCert', cert)
  project.provide('localhostKey', key)

  stack = await startStack({ NODE_EXTRA_CA_CERTS: cert })
  if (!stack.output().includes('Press Ctrl-C to stop.')) {
    const output = stack.output()
    await stack.cleanup()
    throw new Error(`npm start did not become ready:\n${output}`)
  }
}

export async function teardown(): Promise<void> {
  await stack?.cleanup()
  if (certDir !== undefined) rmSync(certDir, { recursive: true, force: true })
}
