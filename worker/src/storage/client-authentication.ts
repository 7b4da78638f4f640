import type { Client } from '../domain/client'
import { failureKeys } from './auth-failures'
import { type ClientRow, rowToClient } from './clients'
import type { Db } from './db'

/** A client as the token endpoint needs it: settings, roles, secret hashes, recent failures. */
export interface ClientCredentialsRecord {
  client: Client
  secrets: { id: string; hash: string; expiresAt: number | null }[]
  /** Failed authentications from the caller's address in the current window (D1; D08). */
  recentFailures: number
  /** When the current failure window started (unix seconds), 0 when there is none. */
  failureWindowStartedAt: number
}

interface Row extends ClientRow {
  secrets: string
  failures: number | null
  window_started_at: number | null
}

/**
 * Everything needed to authenticate a client and issue its token, in one round trip: the client,
 * its roles, its secrets' hashes and its failure counter. The token endpoint always reads this
 * from D1, so a deleted secret or a disabled client is refused on the very next request.
 */
export function findClientCredentialsStatement(
  db: Db,
  clientId: string,
  ip = '',
): D1PreparedStatement {
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

/** The record in the result of `findClientCredentialsStatement`, or null. */
export function toClientCredentialsRecord(
  result: D1Result | undefined,
): ClientCredentialsRecord | null {
  return rowToRecord(result?.results[0] as Row | undefined)
}

function rowToRecord(row: Row | undefined | null): ClientCredentialsRecord | null {
  if (row == null) return null
  const secrets = JSON.parse(row.secrets) as [string, string, number | null][]
  return {
    client: rowToClient(row),
    secrets: secrets.map(([id, hash, expiresAt]) => ({ id, hash, expiresAt })),
    recentFailures: row.failures ?? 0,
    failureWindowStartedAt: row.window_started_at ?? 0,
  }
}

export async function findClientCredentials(
  db: Db,
  clientId: string,
  ip = '',
): Promise<ClientCredentialsRecord | null> {
  // A plain query, not a batch of one: measurably cheaper on the token endpoint's hot path.
  db.countRoundTrip()
  return rowToRecord(await findClientCredentialsStatement(db, clientId, ip).first<Row>())
}
