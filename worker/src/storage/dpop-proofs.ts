import type { Db } from './db'

/**
 * Records a DPoP proof's `jti` under its key's thumbprint, and answers whether this request is
 * the first to present it. One conditional INSERT on the (jkt, jti) primary key, in D1 rather
 * than KV or isolate memory: KV is eventually consistent and isolates share nothing, so two
 * isolates receiving the same proof at once would both accept it; the primary key lets exactly
 * one of them insert (RFC 9449 §11.1, checklist M01). A row is needed only while the proof's
 * `iat` is inside the acceptance window, which `expiresAt` marks; the daily cron deletes it
 * after (storage/purge.ts), and a proof that old is refused on its `iat` before it gets here.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-11.1 RFC 9449 §11.1}
 */
export async function recordDpopProof(
  db: Db,
  proof: { jkt: string; jti: string; expiresAt: number },
): Promise<boolean> {
  const changes = await db.run(
    `INSERT INTO dpop_proofs (jkt, jti, expires_at) VALUES (?1, ?2, ?3)
     ON CONFLICT (jkt, jti) DO NOTHING`,
    proof.jkt,
    proof.jti,
    proof.expiresAt,
  )
  return changes === 1
}
