import { type AuditEvent, auditStatement } from './audit'
import { type Db, isUniqueViolation } from './db'

/** Passkeys one user may hold: enough for every device, few enough to list on one page. */
export const MAX_PASSKEYS_PER_USER = 20

/** A registered WebAuthn credential (WebAuthn §4 "Credential Record"). */
export interface Passkey {
  /** The credential id, base64url. */
  id: string
  tenantId: string
  userId: string
  /** COSE public key, base64url. */
  publicKey: string
  signCount: number
  transports: string[]
  backupEligible: boolean
  backedUp: boolean
  attachment: string | null
  name: string
  createdAt: number
  lastUsedAt: number | null
}

interface PasskeyRow {
  credential_id: string
  tenant_id: string
  user_id: string
  public_key: string
  sign_count: number
  transports: string
  backup_eligible: number
  backed_up: number
  attachment: string | null
  name: string
  created_at: number
  last_used_at: number | null
}

const rowToPasskey = (row: PasskeyRow): Passkey => ({
  id: row.credential_id,
  tenantId: row.tenant_id,
  userId: row.user_id,
  publicKey: row.public_key,
  signCount: row.sign_count,
  transports: JSON.parse(row.transports) as string[],
  backupEligible: row.backup_eligible === 1,
  backedUp: row.backed_up === 1,
  attachment: row.attachment,
  name: row.name,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
})

/**
 * The user's WebAuthn user handle, made once from `candidate` in one statement (a concurrent
 * ceremony gets the same one), or null when there is no such user.
 */
export async function userHandleOf(
  db: Db,
  userId: string,
  candidate: string,
): Promise<string | null> {
  const row = await db.first<{ passkey_user_handle: string }>(
    `UPDATE users SET passkey_user_handle = COALESCE(passkey_user_handle, ?2) WHERE id = ?1
     RETURNING passkey_user_handle`,
    userId,
    candidate,
  )
  return row?.passkey_user_handle ?? null
}

export async function listPasskeys(db: Db, tenantId: string, userId: string): Promise<Passkey[]> {
  const rows = await db.all<PasskeyRow>(
    'SELECT * FROM passkeys WHERE tenant_id = ?1 AND user_id = ?2 ORDER BY created_at, credential_id',
    tenantId,
    userId,
  )
  return rows.map(rowToPasskey)
}

/** A credential presented at sign-in, with the facts about its user the ceremony needs. */
export interface PasskeyOwner {
  passkey: Passkey
  email: string
  enabled: boolean
  userHandle: string | null
}

/** The credential with this id in this tenant, and its user; null when there is none. */
export async function findPasskeyOwner(
  db: Db,
  tenantId: string,
  credentialId: string,
): Promise<PasskeyOwner | null> {
  const row = await db.first<
    PasskeyRow & { email: string; enabled: number; passkey_user_handle: string | null }
  >(
    `SELECT p.*, u.email, u.enabled, u.passkey_user_handle FROM passkeys p
     JOIN users u ON u.id = p.user_id
     WHERE p.credential_id = ?1 AND p.tenant_id = ?2`,
    credentialId,
    tenantId,
  )
  if (row === null) return null
  return {
    passkey: rowToPasskey(row),
    email: row.email,
    enabled: row.enabled === 1,
    userHandle: row.passkey_user_handle,
  }
}

/**
 * Stores a new passkey and its audit line in one transaction, unless the user already holds
 * {@link MAX_PASSKEYS_PER_USER} (checked inside the inserting statement). A credential id that is
 * already registered, to anyone, is refused (WebAuthn §7.1 step 26).
 */
export async function insertPasskey(
  db: Db,
  passkey: Passkey,
  audit: AuditEvent,
): Promise<'written' | 'duplicate' | 'limit'> {
  try {
    const [inserted] = await db.batch([
      db.prepare(
        `INSERT INTO passkeys (credential_id, tenant_id, user_id, public_key, sign_count, transports,
           backup_eligible, backed_up, attachment, name, created_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11
         WHERE (SELECT COUNT(*) FROM passkeys WHERE user_id = ?3) < ?12`,
        passkey.id,
        passkey.tenantId,
        passkey.userId,
        passkey.publicKey,
        passkey.signCount,
        JSON.stringify(passkey.transports),
        passkey.backupEligible ? 1 : 0,
        passkey.backedUp ? 1 : 0,
        passkey.attachment,
        passkey.name,
        passkey.createdAt,
        MAX_PASSKEYS_PER_USER,
      ),
      auditStatement(db, audit, { sql: 'changes() = 1', binds: [] }),
    ])
    return inserted?.meta.changes === 1 ? 'written' : 'limit'
  } catch (error) {
    if (isUniqueViolation(error)) return 'duplicate'
    throw error
  }
}

/**
 * Records a successful sign-in with a passkey: the new signature counter, the backup state and
 * the time, only if the counter is still the one the ceremony checked against (a concurrent use
 * of a cloned authenticator loses). Answers whether it was recorded.
 * @see {@link https://www.w3.org/TR/webauthn-3/#sctn-sign-counter WebAuthn §6.1.1}
 */
export async function recordPasskeyUse(
  db: Db,
  use: { id: string; previousCount: number; newCount: number; backedUp: boolean; now: number },
): Promise<boolean> {
  const changed = await db.run(
    `UPDATE passkeys SET sign_count = ?3, backed_up = ?4, last_used_at = ?5
     WHERE credential_id = ?1 AND sign_count = ?2`,
    use.id,
    use.previousCount,
    use.newCount,
    use.backedUp ? 1 : 0,
    use.now,
  )
  return changed === 1
}

/** Renames one of a user's passkeys; answers whether it exists. */
export async function renamePasskey(
  db: Db,
  owner: { tenantId: string; userId: string },
  credentialId: string,
  name: string,
): Promise<boolean> {
  const changed = await db.run(
    'UPDATE passkeys SET name = ?4 WHERE credential_id = ?1 AND tenant_id = ?2 AND user_id = ?3',
    credentialId,
    owner.tenantId,
    owner.userId,
    name,
  )
  return changed === 1
}

/**
 * Deletes one of a user's passkeys (`credentialId`) or all of them, with an audit line in the
 * same transaction when anything was deleted. Answers how many were deleted.
 */
export async function deletePasskeys(
  db: Db,
  owner: { tenantId: string; userId: string },
  credentialId: string | undefined,
  audit: AuditEvent,
): Promise<number> {
  const [deleted] = await db.batch([
    db.prepare(
      `DELETE FROM passkeys WHERE tenant_id = ?1 AND user_id = ?2
         AND (?3 IS NULL OR credential_id = ?3)`,
      owner.tenantId,
      owner.userId,
      credentialId ?? null,
    ),
    auditStatement(db, audit, { sql: 'changes() > 0', binds: [] }),
  ])
  return deleted?.meta.changes ?? 0
}
