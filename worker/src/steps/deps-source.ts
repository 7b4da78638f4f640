import type { Deps } from '../deps'

/**
 * What a step shared with code not yet converted to `Deps` accepts: the `Deps`, or anything
 * that holds them under `deps` (the Hono context of the authorize pipeline and the management
 * API guard, which still pass it). Remove once those callers pass `Deps`.
 */
export type DepsSource = Deps | { get(key: 'deps'): Deps }

export function depsOf(source: DepsSource): Deps {
  return 'get' in source && typeof source.get === 'function' ? source.get('deps') : (source as Deps)
}
