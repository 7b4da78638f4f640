import { readFileSync } from 'node:fs'
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js'
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js'

/**
 * An in-memory OAuth client for the MCP SDK: what a desktop MCP client keeps between runs, here
 * in fields the test can read and tamper with. `redirectToAuthorization` only records the URL;
 * the test opens it in Chromium.
 */
export class MemoryOAuthProvider implements OAuthClientProvider {
  client: OAuthClientInformationMixed | undefined
  stored: OAuthTokens | undefined
  verifier: string | undefined
  authorizationUrl: URL | undefined
  readonly expectedState = crypto.randomUUID()

  constructor(
    readonly redirectUrl: string,
    readonly clientMetadata: OAuthClientMetadata,
    readonly clientMetadataUrl?: string,
  ) {}

  state(): string {
    return this.expectedState
  }
  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.client
  }
  saveClientInformation(client: OAuthClientInformationMixed): void {
    this.client = client
  }
  tokens(): OAuthTokens | undefined {
    return this.stored
  }
  saveTokens(tokens: OAuthTokens): void {
    this.stored = tokens
  }
  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url
  }
  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier
  }
  codeVerifier(): string {
    if (this.verifier === undefined) throw new Error('no code verifier saved')
    return this.verifier
  }
}

/** A local server and how to stop it (always safe to call). */
export interface LocalServer {
  close(): Promise<void>
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, () => resolve())
  })
}

/**
 * Serves one client ID metadata document over https on localhost (the SDK takes only an https
 * URL as a client ID), with the certificate the stack's workerd trusts; counts the requests.
 */
export async function serveMetadataDocument(options: {
  port: number
  path: string
  document: object
  cert: string
  key: string
}): Promise<LocalServer & { requests: () => number }> {
  let requests = 0
  const server = createHttpsServer(
    { cert: readFileSync(options.cert), key: readFileSync(options.key) },
    (request, response) => {
      if (request.method !== 'GET' || request.url !== options.path) {
        response.writeHead(404).end()
        return
      }
      requests++
      response
        .writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'max-age=60' })
        .end(JSON.stringify(options.document))
    },
  )
  await listen(server, options.port)
  return { requests: () => requests, close: () => closeServer(server) }
}

/** The redirect URI's server: it answers `/callback` and hands over the code and state. */
export async function serveCallback(
  port: number,
): Promise<LocalServer & { next: () => Promise<URLSearchParams> }> {
  let waiting: ((query: URLSearchParams) => void) | undefined
  const received: URLSearchParams[] = []
  const server = createHttpServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://localhost:${port}`)
    if (url.pathname !== '/callback') {
      response.writeHead(404).end()
      return
    }
    response.writeHead(200, { 'Content-Type': 'text/plain' }).end('You can close this window.')
    if (waiting !== undefined) {
      waiting(url.searchParams)
      waiting = undefined
    } else received.push(url.searchParams)
  })
  await listen(server, port)
  return {
    next: () => {
      const first = received.shift()
      if (first !== undefined) return Promise.resolve(first)
      return new Promise((resolve) => {
        waiting = resolve
      })
    },
    close: () => closeServer(server),
  }
}
