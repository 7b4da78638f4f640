import { emailKey, type User } from '../domain/user'
import type { Db } from './db'

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

/** Creates a user with roles (and its entry in the shared id space), in one transaction. */
export async function insertUser(db: Db, user: User, passwordHash: string | null): Promise<void> {
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
    db.prepare("INSERT INTO principals (id, kind) VALUES (?1, 'user')", user.id),
    ...user.roleIds.map((roleId) =>
      db.prepare(
        'INSERT INTO user_roles (user_id, tenant_id, role_id) VALUES (?1, ?2, ?3)',
        user.id,
        user.tenantId,
        roleId,
      ),
    ),
  ])
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
