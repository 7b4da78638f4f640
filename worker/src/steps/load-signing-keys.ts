import type { Deps } from '../deps'

/**
 * Makes sure the isolate holds its signing keys before a transaction that consumes a code or a
 * refresh token commits: once it has, nothing fallible may stand between it and the response,
 * or the client would retry with a consumed token, which reads as a replay and revokes the grant.
 */
export async function loadSigningKeys(deps: Deps): Promise<void> {
  const { config, keyring } = deps
  await Promise.all(
    [...new Set([config.accessTokenSigningAlg, 'RS256' as const])].map((alg) =>
      keyring.signingKey(deps.db, deps.cache, alg),
    ),
  )
}
