import { emailKey, type User } from '../domain/user'
import { type AuditEvent, auditIfChanged } from './audit'
import { type Db, isUniqueViolation } from './db'
import { revokeUserSessionsStatements } from './sessions'
import {
  expireInvitationsStatement,
  insertInvitationStatement,
  type NewInvitation,
} from './user-invitations'

interface UserRow {
  id: string
  tenant_id: string
  email: string
  name: string
  enabled: number
  password_hash: string | null
  created_at: number
  updated_at: number
  role_ids: string
}

const SELECT_USER = `
  SELECT u.*,
    (SELECT json_group_array(r.role_id) FROM user_roles r WHERE r.user_id = u.id) AS role_ids
  FROM users u`

/** A user as the management API shows it: never the hash, only whether there is one. */
export interface UserRecord extends User {
  hasPassword: boolean
  /** How many passkeys the user holds. */
  passkeyCount: number
}

/** The columns of a record: the hash itself never leaves D1 on this path. */
const SELECT_USER_RECORD = `
  SELECT u.id, u.tenant_id, u.email, u.name, u.enabled, u.created_at, u.updated_at,
    u.password_hash IS NOT NULL AS has_password,
    (SELECT COUNT(*) FROM passkeys p WHERE p.user_id = u.id) AS passkey_count,
    (SELECT json_group_array(r.role_id) FROM user_roles r WHERE r.user_id = u.id) AS role_ids
  FROM users u`

type UserRecordRow = Omit<UserRow, 'password_hash'> & {
  has_password: number
  passkey_count: number
}

const rowToUserRecord = (row: UserRecordRow): UserRecord => ({
  ...rowToUser({ ...row, password_hash: null }),
  hasPassword: row.has_password === 1,
  passkeyCount: row.passkey_count,
})

const rowToUser = (row: UserRow): User => ({
  id: row.id,
  tenantId: row.tenant_id,
  email: row.email,
  name: row.name,
  enabled: row.enabled === 1,
  roleIds: (JSON.parse(row.role_ids) as string[]).sort(),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

/** A user with the stored password hash, for sign-in. */
export interface UserWithPassword {
  user: User
  passwordHash: string | null
}

export async function findUserByEmail(
  db: Db,
  tenantId: string,
  email: string,
): Promise<UserWithPassword | null> {
  const row = await db.first<UserRow>(
    `${SELECT_USER} WHERE u.tenant_id = ?1 AND u.email_key = ?2`,
    tenantId,
    emailKey(email),
  )
  return row === null ? null : { user: rowToUser(row), passwordHash: row.password_hash }
}

/**
 * Creates a user with roles (and its entry in the shared id space), with an optional invitation
 * link and audit line, in one transaction. Answers `'duplicate-email'` when the tenant already
 * has the address (any case: `email_key` is UNIQUE per tenant); ids are random UUIDs, so the
 * other unique keys cannot collide in practice.
 */
export async function insertUser(
  db: Db,
  user: User,
  passwordHash: string | null,
  extra: { invitation?: NewInvitation; audit?: AuditEvent } = {},
): Promise<'written' | 'duplicate-email'> {
  try {
    await db.batch([
      db.prepare(
        `INSERT INTO users (id, tenant_id, email, email_key, name, password_hash, enabled,
           password_changed_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, CASE WHEN ?6 IS NOT NULL THEN ?8 END, ?8, ?8)`,
        user.id,
        user.tenantId,
        user.email,
        emailKey(user.email),
        user.name,
        passwordHash,
        user.enabled ? 1 : 0,
        user.createdAt,
      ),
      ...auditIfChanged(db, extra.audit),
      db.prepare("INSERT INTO principals (id, kind) VALUES (?1, 'user')", user.id),
      ...insertRoles(db, user),
      ...(extra.invitation === undefined ? [] : [insertInvitationStatement(db, extra.invitation)]),
    ])
    return 'written'
  } catch (error) {
    if (isUniqueViolation(error)) return 'duplicate-email'
    throw error
  }
}

function insertRoles(db: Db, user: User): D1PreparedStatement[] {
  return user.roleIds.map((roleId) =>
    db.prepare(
      'INSERT INTO user_roles (user_id, tenant_id, role_id) VALUES (?1, ?2, ?3)',
      user.id,
      user.tenantId,
      roleId,
    ),
  )
}

export async function setUserPasswordHash(
  db: Db,
  userId: string,
  passwordHash: string,
  now: number,
): Promise<void> {
  await db.run(
    'UPDATE users SET password_hash = ?2, password_changed_at = ?3, updated_at = ?3 WHERE id = ?1',
    userId,
    passwordHash,
    now,
  )
}

/** A user of a tenant (a user of another tenant is not found). */
export async function findUser(db: Db, tenantId: string, id: string): Promise<UserRecord | null> {
  const row = await db.first<UserRecordRow>(
    `${SELECT_USER_RECORD} WHERE u.id = ?1 AND u.tenant_id = ?2`,
    id,
    tenantId,
  )
  return row === null ? null : rowToUserRecord(row)
}

/** One page of a tenant's users, oldest first, and how many there are. */
export async function listUsers(
  db: Db,
  tenantId: string,
  page: { skip: number; count: number },
): Promise<{ items: UserRecord[]; total: number }> {
  const [rows, total] = await db.batch([
    db.prepare(
      `${SELECT_USER_RECORD} WHERE u.tenant_id = ?1 ORDER BY u.created_at, u.id LIMIT ?2 OFFSET ?3`,
      tenantId,
      page.count,
      page.skip,
    ),
    db.prepare('SELECT COUNT(*) AS total FROM users WHERE tenant_id = ?1', tenantId),
  ])
  return {
    items: ((rows?.results ?? []) as UserRecordRow[]).map(rowToUserRecord),
    total: ((total?.results[0] ?? { total: 0 }) as { total: number }).total,
  }
}

/**
 * Replaces a user's email, name, enabled flag and roles (PUT), in one transaction. Disabling
 * ends the user's sessions and revokes their grants in the same transaction, so it takes effect
 * on the very next request (docs/architecture.md "Consistency contract"). The caller has found the
 * user in this tenant: user ids are global and never move, so the revocation cannot reach
 * another tenant's user.
 */
export async function replaceUser(
  db: Db,
  user: User,
  audit: AuditEvent,
): Promise<'written' | 'not-found' | 'duplicate-email'> {
  const exists = 'EXISTS (SELECT 1 FROM users WHERE id = ?1 AND tenant_id = ?2)'
  try {
    const [updated] = await db.batch([
      db.prepare(
        `UPDATE users SET email = ?3, email_key = ?4, name = ?5, enabled = ?6, updated_at = ?7
         WHERE id = ?1 AND tenant_id = ?2`,
        user.id,
        user.tenantId,
        user.email,
        emailKey(user.email),
        user.name,
        user.enabled ? 1 : 0,
        user.updatedAt,
      ),
      ...auditIfChanged(db, audit),
      db.prepare(`DELETE FROM user_roles WHERE user_id = ?1 AND ${exists}`, user.id, user.tenantId),
      ...user.roleIds.map((roleId) =>
        db.prepare(
          `INSERT INTO user_roles (user_id, tenant_id, role_id) SELECT ?1, ?2, ?3 WHERE ${exists}`,
          user.id,
          user.tenantId,
          roleId,
        ),
      ),
      ...(user.enabled ? [] : revokeUserSessionsStatements(db, user.id, user.updatedAt)),
    ])
    return (updated?.meta.changes ?? 0) === 1 ? 'written' : 'not-found'
  } catch (error) {
    if (isUniqueViolation(error)) return 'duplicate-email'
    throw error
  }
}

/**
 * Deletes a user found in this tenant (see replaceUser): their sessions are ended and grants
 * revoked first, then the rows go (roles, links, sessions, grants: ON DELETE CASCADE). The
 * `principals` row stays, so the id is never reused. D1 counts cascaded rows, hence `> 0`.
 */
export async function deleteUser(
  db: Db,
  tenantId: string,
  id: string,
  now: number,
  audit: AuditEvent,
): Promise<'written' | 'not-found'> {
  const revoke = revokeUserSessionsStatements(db, id, now)
  const results = await db.batch([
    ...revoke,
    db.prepare('DELETE FROM users WHERE id = ?1 AND tenant_id = ?2', id, tenantId),
    ...auditIfChanged(db, audit),
  ])
  return (results[revoke.length]?.meta.changes ?? 0) > 0 ? 'written' : 'not-found'
}

/**
 * An administrator sets a user's password: outstanding links stop working, and the user's
 * sessions end and grants are revoked, in one transaction with the audit line.
 */
export async function setUserPassword(
  db: Db,
  user: Pick<User, 'id' | 'tenantId'>,
  passwordHash: string,
  now: number,
  audit: AuditEvent,
): Promise<'written' | 'not-found'> {
  const [updated] = await db.batch([
    db.prepare(
      `UPDATE users SET password_hash = ?3, password_changed_at = ?4, updated_at = ?4
       WHERE id = ?1 AND tenant_id = ?2`,
      user.id,
      user.tenantId,
      passwordHash,
      now,
    ),
    ...auditIfChanged(db, audit),
    expireInvitationsStatement(db, user.id, now),
    ...revokeUserSessionsStatements(db, user.id, now),
  ])
  return (updated?.meta.changes ?? 0) === 1 ? 'written' : 'not-found'
}
