import type { Client } from '../domain/client'
import { failureKeys } from './auth-failures'
import { type ClientRow, rowToClient } from './clients'
import type { Db } from './db'

/** A client secret as authentication needs it: its hash and when it stops working. */
export interface StoredSecretHash {
  id: string
  hash: string
  /** Unix seconds, or null when the secret never expires. */
  expiresAt: number | null
}

/** What authenticates a client whoever calls: its settings, roles and secret hashes. */
export interface ClientCredentials {
  client: Client
  secrets: StoredSecretHash[]
}

/** The failed authentications of one client id from one address in the current window. */
export interface FailureWindow {
  failures: number
  /** When the window started (unix seconds), 0 when there is none. */
  startedAt: number
}

/**
 * A client as the token endpoint needs it: its credentials, and the failures counted from the
 * caller's address (D1; D08). The two halves never mix: the client cache keeps each failure
 * window under its own address (N03).
 */
export interface ClientCredentialsRecord extends ClientCredentials {
  failuresFromHere: FailureWindow
}

interface Row extends ClientRow {
  secrets: string
  failures: number | null
  window_started_at: number | null
}

/**
 * Everything needed to authenticate a client and issue its token, in one statement: the client,
 * its roles, its secrets' hashes and the failure counter of the caller's address.
 */
function findClientCredentialsStatement(db: Db, clientId: string, ip: string): D1PreparedStatement {
  return db.prepare(
    `SELECT c.*,
       (SELECT json_group_array(r.role_id) FROM client_roles r WHERE r.client_id = c.id) AS role_ids,
       (SELECT json_group_array(json_array(s.id, s.secret_hash, s.expires_at))
          FROM client_secrets s WHERE s.client_id = c.id) AS secrets,
       f.failures, f.window_started_at
     FROM clients c LEFT JOIN auth_failures f ON f.key = ?2
     WHERE c.id = ?1`,
    clientId,
    failureKeys.clientFrom(clientId, ip),
  )
}

function rowToRecord(row: Row | null): ClientCredentialsRecord | null {
  if (row === null) return null
  const secrets = JSON.parse(row.secrets) as [string, string, number | null][]
  return {
    client: rowToClient(row),
    secrets: secrets.map(([id, hash, expiresAt]) => ({ id, hash, expiresAt })),
    failuresFromHere: { failures: row.failures ?? 0, startedAt: row.window_started_at ?? 0 },
  }
}

/**
 * The client and the failures counted from `ip`, read from D1 in one round trip, so a deleted
 * secret or a disabled client is refused on the very next request.
 */
export async function findClientCredentials(
  db: Db,
  clientId: string,
  ip = '',
): Promise<ClientCredentialsRecord | null> {
  // A plain query, not a batch of one: measurably cheaper on the token endpoint's hot path.
  db.countRoundTrip()
  return rowToRecord(await findClientCredentialsStatement(db, clientId, ip).first<Row>())
}
