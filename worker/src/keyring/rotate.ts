import type { SigningAlg } from '../crypto/signing-keys'
import {
  type KeyState,
  planPromotion,
  type RotationOptions,
  SIGNING_ALGS,
} from '../domain/key-rotation'
import { type Db, nowSeconds } from '../storage/db'
import {
  deleteExpiredSigningKeys,
  listAllSigningKeys,
  promoteNextSigningKey,
} from '../storage/signing-keys'
import type { Keyring } from './keyring'

export interface RotationReport {
  /** Keys created and pre-published as `next`. */
  created: string[]
  /** Keys that became `active` (the previous active key was retired, still published). */
  promoted: string[]
  /** Retired keys removed from the JWKS after their retention. */
  deleted: number
}

/**
 * The rotation job (daily Cron Trigger, or an operator's `npm run keys:rotate`). For each
 * algorithm: make sure a next key is pre-published, promote it when it is due (or at once when
 * forced), pre-publish the following one; then drop retired keys past their retention.
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#RotateSigKeys
 *   OIDC Core §10.1.1}
 */
export async function rotateSigningKeys(
  keyring: Keyring,
  db: Db,
  cache: KVNamespace,
  options: RotationOptions = {},
): Promise<RotationReport> {
  const report: RotationReport = { created: [], promoted: [], deleted: 0 }
  const createNext = async (alg: SigningAlg) => {
    const kid = await keyring.createKey(db, alg, 'next')
    if (kid !== undefined) report.created.push(kid)
  }
  for (const alg of SIGNING_ALGS) {
    let keys = await keyStates(db, alg)
    if (!keys.some((k) => k.state === 'next')) {
      await createNext(alg)
      keys = await keyStates(db, alg)
    }
    const now = nowSeconds()
    const promotion = planPromotion(keys, now, options)
    if (promotion !== undefined && (await promoteNextSigningKey(db, { alg, now, ...promotion }))) {
      report.promoted.push(promotion.nextKid)
      await createNext(alg)
    }
  }
  report.deleted = await deleteExpiredSigningKeys(db, nowSeconds())
  if (report.created.length + report.promoted.length + report.deleted > 0) {
    await keyring.publishJwks(db, cache)
    keyring.forgetKeys()
  }
  return report
}

async function keyStates(db: Db, alg: SigningAlg): Promise<KeyState[]> {
  return (await listAllSigningKeys(db))
    .filter((row) => row.alg === alg)
    .map((row) => ({
      kid: row.kid,
      state: row.state,
      createdAt: row.created_at,
      activatedAt: row.activated_at,
    }))
}
