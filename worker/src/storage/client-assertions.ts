import type { Db } from './db'

/**
 * Records a client assertion's `jti` (RFC 7523 §3 item 7) and answers whether this request is
 * the first to present it: one conditional INSERT on the (client_id, jti) primary key in D1, so
 * of two isolates receiving the same assertion exactly one accepts it (checklist M01; like
 * storage/dpop-proofs.ts). The row matters until the assertion expires; the cron purges it after.
 * @see {@link https://www.rfc-editor.org/rfc/rfc7523#section-3 RFC 7523 §3}
 */
export async function recordClientAssertion(
  db: Db,
  assertion: { clientId: string; jti: string; expiresAt: number },
): Promise<boolean> {
  const changes = await db.run(
    `INSERT INTO client_assertion_jtis (client_id, jti, expires_at) VALUES (?1, ?2, ?3)
     ON CONFLICT (client_id, jti) DO NOTHING`,
    assertion.clientId,
    assertion.jti,
    assertion.expiresAt,
  )
  return changes === 1
}
