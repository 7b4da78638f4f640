import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { newClient } from '../../../worker/src/domain/client'
import { listAuditEvents } from '../../../worker/src/storage/audit'
import {
  clearAuthFailures,
  recordAuthFailures,
  releaseAttempt,
} from '../../../worker/src/storage/auth-failures'
import { recordClientAssertion } from '../../../worker/src/storage/client-assertions'
import { findClientCredentials } from '../../../worker/src/storage/client-authentication'
import {
  findRegistration,
  rotateRegistrationToken,
} from '../../../worker/src/storage/client-registrations'
import { listClientSecrets } from '../../../worker/src/storage/client-secrets'
import {
  findClient,
  findClientById,
  isKnownClientOrigin,
  listClients,
} from '../../../worker/src/storage/clients'
import { redeemAuthorizationCode } from '../../../worker/src/storage/code-redemption'
import { isCommonPassword } from '../../../worker/src/storage/common-passwords'
import {
  findConsent,
  grantConsent,
  listConsents,
  withdrawConsent,
} from '../../../worker/src/storage/consents'
import { Db } from '../../../worker/src/storage/db'
import { recordDpopProof } from '../../../worker/src/storage/dpop-proofs'
import {
  listInitialAccessTokens,
  spendInitialAccessToken,
} from '../../../worker/src/storage/initial-access-tokens'
import {
  findThirdPartyPolicy,
  readMetadataDocumentState,
  upsertMetadataDocumentClient,
} from '../../../worker/src/storage/metadata-document-clients'
import { findPasskeyOwner } from '../../../worker/src/storage/passkeys'
import { findRefreshToken, rotateRefreshToken } from '../../../worker/src/storage/refresh-tokens'
import { findResourcesByIdentifiers } from '../../../worker/src/storage/resources'
import { findRole, findUnknownRoleIds, listRoles } from '../../../worker/src/storage/roles'
import { findLiveSession } from '../../../worker/src/storage/sessions'
import { reserveSignInAttempt } from '../../../worker/src/storage/sign-in'
import {
  listActiveSigningKeys,
  listPublishedSigningKeys,
} from '../../../worker/src/storage/signing-keys'
import {
  findThirdPartyClient,
  listThirdPartyClients,
  setThirdPartyClientEnabled,
} from '../../../worker/src/storage/third-party-clients'
import { findTokenSubjectState } from '../../../worker/src/storage/token-subjects'
import { findUser, findUserByEmail, listUsers } from '../../../worker/src/storage/users'

// Issue 14 (scale): every hot statement finds its rows through an index, so the token endpoint,
// sign-in, userinfo, JWKS and the management reads cost the same with 100,000 clients and users
// and 1,000,000 refresh tokens as on an empty database. The statements are recorded while the
// real storage functions run (no copies of their SQL), then explained with EXPLAIN QUERY PLAN
// against the migrated schema. worker/storage-schema.md lists the plans.

interface Recorded {
  sql: string
  binds: unknown[]
}

/** A D1 binding that records every statement prepared through it, with its bound values. */
function recordingD1(recorded: Recorded[]): D1Database {
  const prepare = (sql: string) => {
    const statement = env.DB.prepare(sql)
    const entry: Recorded = { sql, binds: [] }
    recorded.push(entry)
    const bind = statement.bind.bind(statement)
    statement.bind = (...values: unknown[]) => {
      entry.binds = values
      return bind(...values)
    }
    return statement
  }
  return new Proxy(env.DB, {
    get(target, property) {
      if (property === 'prepare') return prepare
      // Db runs its round trips through D1 sessions (primary and replica): record those too.
      if (property === 'withSession') {
        return () => ({ prepare, batch: target.batch.bind(target), getBookmark: () => null })
      }
      const value = Reflect.get(target, property)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/** The statements `work` prepares through its Db, in order. */
async function statementsOf(work: (db: Db) => Promise<unknown>): Promise<Recorded[]> {
  const recorded: Recorded[] = []
  await work(new Db(recordingD1(recorded)))
  return recorded
}

/** The `detail` lines of SQLite's plan for one recorded statement. */
async function planOf({ sql, binds }: Recorded): Promise<string[]> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...binds)
    .all<{ detail: string }>()
  return results.map((row) => row.detail)
}

/**
 * Plan lines that read a whole table: `SCAN t` without an index (a `SCAN t USING INDEX` of a
 * covering or ordering index reads the whole index, which is no better, so it counts too), except
 * for table-valued functions (`json_each` over a bound list), a constant row, and a subquery's
 * own result (`SCAN (subquery-N)`: the rows it made, whose reads of tables have their own lines).
 */
function fullScans(plan: readonly string[]): string[] {
  return plan.filter(
    (line) =>
      /^SCAN /.test(line) &&
      !/^SCAN (CONSTANT ROW$|\S+ VIRTUAL TABLE|\(subquery-\d+\)$)/.test(line),
  )
}

const now = 1_800_000_000
const accountAtAddress = 'user:t1:ada@example.com@203.0.113.7'
const counters = [
  { key: accountAtAddress, maxFailures: 5, windowSeconds: 900 },
  { key: 'sign-ins@203.0.113.7', maxFailures: 50, windowSeconds: 900 },
  { key: 'user:t1:ada@example.com', maxFailures: null, windowSeconds: 900 },
]

/** The hot paths, each through the storage functions its route calls. */
const HOT: Record<string, (db: Db) => Promise<unknown>> = {
  'token: client lookup and secret check': (db) => findClientCredentials(db, 'client-1', '::1'),
  'token: failed client authentication counted': (db) =>
    recordAuthFailures(db, ['client:client-1@::1', 'client:client-1'], now, 60),
  'token: code redemption': (db) =>
    redeemAuthorizationCode(db, {
      codeHash: 'code-hash',
      requestId: 'request-1',
      now,
      clientId: 'client-1',
      redirectUri: 'https://app.example/cb',
      codeChallenge: 'challenge',
      accessTokenJti: 'jti-1',
      refreshTokenHash: 'refresh-hash',
      dpopJkt: null,
      resources: ['https://api.example/orders'],
    }),
  'token: refresh rotation': (db) =>
    rotateRefreshToken(db, {
      tokenHash: 'refresh-hash',
      requestId: 'request-2',
      now,
      clientId: 'client-1',
      scope: [],
      newTokenHash: 'refresh-hash-2',
      accessTokenJti: 'jti-2',
      dpopJkt: null,
      resources: ['https://api.example/orders'],
    }),
  'token and /authorize: RFC 8707 resources by identifier': (db) =>
    findResourcesByIdentifiers(db, 't1', ['https://api.example/orders']),
  'sign-in: passkey owner by credential id': (db) => findPasskeyOwner(db, 't1', 'credential-1'),
  'token: DPoP proof jti recorded': (db) =>
    recordDpopProof(db, { jkt: 'thumbprint', jti: 'proof-1', expiresAt: now + 65 }),
  'token: private_key_jwt assertion jti recorded': (db) =>
    recordClientAssertion(db, { clientId: 'client-1', jti: 'assertion-1', expiresAt: now + 60 }),
  'register: initial access token spent (and why not), registration read and rotated': async (
    db,
  ) => {
    await spendInitialAccessToken(db, 'token-hash', now)
    await findRegistration(db, 'client-1')
    await rotateRegistrationToken(db, 'client-1', 'old-hash', 'new-hash')
  },
  'management: initial access tokens': (db) => listInitialAccessTokens(db, 't1'),
  'introspection and revocation: refresh token lookup': (db) =>
    findRefreshToken(db, 'refresh-hash', now),
  'sign-in: limits reserved and account looked up': (db) =>
    reserveSignInAttempt(db, 't1', 'ada@example.com', counters, now),
  'sign-in: attempt given back, failures forgotten': async (db) => {
    const reservation = new Map([[accountAtAddress, { failures: 1, windowStartedAt: now }]])
    await releaseAttempt(db, reservation, [accountAtAddress])
    await clearAuthFailures(db, ['client:client-1@::1'])
  },
  'sign-in: user by email': (db) => findUserByEmail(db, 't1', 'ada@example.com'),
  'new password (users API, set-password page): common-password blocklist': (db) =>
    isCommonPassword(db, 'qwertyuiop'),
  'authorize: session, client, CORS origin': async (db) => {
    await findLiveSession(db, 'session-secret-hash', now)
    await findClientById(db, 'client-1')
    await isKnownClientOrigin(db, 'https://app.example')
  },
  'authorize: remembered consent of a third-party client, recorded as a union': async (db) => {
    await findConsent(db, 't1', 'user-1', 'client-1')
    // No such user or client here: the insert fails its foreign keys, once recorded.
    await grantConsent(
      db,
      {
        tenantId: 't1',
        userId: 'user-1',
        clientId: 'client-1',
        scopes: ['openid'],
        resources: [],
        now,
      },
      {
        tenantId: 't1',
        actorType: 'user',
        actorId: 'user-1',
        action: 'consent.granted',
        occurredAt: now,
      },
    ).catch(() => undefined)
  },
  'account: apps with access listed, one withdrawn with its grants': async (db) => {
    await listConsents(db, 't1', 'user-1')
    await withdrawConsent(
      db,
      { tenantId: 't1', userId: 'user-1', clientId: 'client-1', now },
      {
        tenantId: 't1',
        actorType: 'user',
        actorId: 'user-1',
        action: 'consent.withdrawn',
        occurredAt: now,
      },
    )
  },
  'userinfo and token verification: subject state': (db) =>
    findTokenSubjectState(db, {
      clientId: 'client-1',
      userId: 'user-1',
      jti: 'jti-1',
      issuedAt: now,
      origin: 'https://app.example',
    }),
  'JWKS and signing: keys': async (db) => {
    await listPublishedSigningKeys(db, now)
    await listActiveSigningKeys(db)
  },
  'management: clients and secrets': async (db) => {
    await listClients(db, 't1', 'client-credentials', { skip: 0, count: 20 })
    await findClient(db, 't1', 'client-credentials', 'client-1')
    await listClientSecrets(db, 'client-1')
  },
  'management: users': async (db) => {
    await listUsers(db, 't1', { skip: 0, count: 20 })
    await findUser(db, 't1', 'user-1')
  },
  'management: roles': async (db) => {
    await listRoles(db, 't1')
    await findRole(db, 't1', 'role-1')
    await findUnknownRoleIds(db, 't1', ['role-1', 'role-2'])
  },
  'authorize and token: metadata-document client, policy and expiry': (db) =>
    readMetadataDocumentState(db, 't1', 'https://agent.example/client.json'),
  'authorize and token: metadata-document client stored after a fetch': async (db) => {
    // The client row references its tenant: this one exists for the statement to run.
    await db
      .prepare("INSERT OR IGNORE INTO tenants (id, name, created_at) VALUES ('t1', 't1', 0)")
      .run()
    await upsertMetadataDocumentClient(
      db,
      newClient(
        {
          id: 'https://agent.example/client.json',
          tenantId: 't1',
          type: 'authorization-code',
          name: 'Agent',
          roleIds: [],
          redirectUris: ['https://agent.example/cb'],
          thirdParty: {
            registration: 'metadata-document',
            tokenEndpointAuthMethod: 'none',
            jwksUri: null,
            logoUri: null,
            clientUri: null,
          },
        },
        now,
      ),
      now + 3600,
    )
  },
  'management: third-party policy and clients': async (db) => {
    await findThirdPartyPolicy(db, 't1')
    await listThirdPartyClients(db, 't1', { skip: 0, count: 20 })
    await findThirdPartyClient(db, 't1', 'client-1')
    await setThirdPartyClientEnabled(db, 't1', 'client-1', false, now)
  },
  'management: audit events, filtered': (db) =>
    listAuditEvents(db, 't1', { skip: 0, count: 20 }, { action: 'client.created' }),
}

/**
 * Scans that are intended, by a fragment of the statement: each is documented in
 * worker/storage-schema.md ("Query plans").
 */
const INTENDED_SCANS: { statement: RegExp; scan: RegExp; why: string }[] = [
  {
    statement: /^SELECT \* FROM signing_keys\s+WHERE state != 'retired' OR delete_after > \?1/,
    scan: /^SCAN signing_keys$/,
    why: 'the JWKS reads every published key: a handful of rows (next, active, retired for a day)',
  },
  {
    statement: /^SELECT \* FROM signing_keys WHERE state = 'active'$/,
    scan: /^SCAN signing_keys USING INDEX signing_keys_one_active$/,
    why: 'a partial index: it holds the active keys only, at most one per algorithm',
  },
  {
    statement: /^INSERT INTO clients \(/,
    scan: /^SCAN authorization_codes$/,
    why:
      'foreign-key bookkeeping of a new parent row: SQLite plans a search for orphaned children, ' +
      'but runs it only while deferred violations are pending, which they never are here',
  },
]

describe('query plans of the hot statements (issue 14)', () => {
  for (const [path, work] of Object.entries(HOT)) {
    it(`${path}: every statement reads through an index, never a whole table, and pages in order`, async () => {
      const statements = await statementsOf(work)
      expect(statements.length).toBeGreaterThan(0)
      for (const statement of statements) {
        const plan = await planOf(statement)
        const scans = fullScans(plan).filter(
          (line) =>
            !INTENDED_SCANS.some((s) => s.statement.test(statement.sql) && s.scan.test(line)),
        )
        // A page (LIMIT) comes out of an index in order: no sort of every row that matches.
        const sorts = /\bLIMIT\b/.test(statement.sql)
          ? plan.filter((line) => /^USE TEMP B-TREE FOR (\w+ )*ORDER BY/.test(line))
          : []
        expect({ sql: statement.sql, scans, sorts, plan }).toEqual({
          sql: statement.sql,
          scans: [],
          sorts: [],
          plan,
        })
      }
    })
  }
})
