export type { AccessTokenClaims } from './access-token'
export { metadataUrl, type ProtectedResourceMetadata } from './metadata'
export {
  DEFAULT_ALGORITHMS,
  DEFAULT_DPOP_ALGORITHMS,
  type ProtectedResourceOptions,
} from './options'
export {
  type ProtectedResource,
  type ProtectedResourceEnv,
  protectedResource,
  type RequireTokenOptions,
} from './protected-resource'
export { memoryReplayStore, type ReplayStore } from './replay-store'
export { TokenError, type TokenErrorCode } from './token-error'
