-- Dynamic client registration (RFC 7591, RFC 7592; issue 17), off unless a tenant turns on
-- `tenants.dynamic_registration` (0007), and client authentication with private_key_jwt
-- (RFC 7523).

-- Initial access tokens (RFC 7591 §3): an Account Administrator issues one through the
-- management API; registration needs one as Bearer, and the client lands in its tenant. Stored
-- as a SHA-256 digest only (shown once). `max_uses` NULL is unlimited until `expires_at`; `uses`
-- is raised by one conditional UPDATE per registration, so concurrent registrations cannot pass
-- the limit (checklist M01). A revoked token keeps its row (revoked_at) until the purge.
CREATE TABLE initial_access_tokens (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL,
  max_uses INTEGER CHECK (max_uses IS NULL OR max_uses >= 1),
  uses INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX initial_access_tokens_by_tenant ON initial_access_tokens (tenant_id, created_at, id);

-- One row per dynamically registered client (clients.registration = 'dynamic'): the SHA-256 of
-- its registration access token (RFC 7592 §1, shown once in the registration response), the
-- initial access token it registered with, the registered metadata that has no column in
-- `clients` (JSON: grant_types, response_types, scope), and when it first got a token (NULL:
-- never). A
-- registration never used within the purge's window is deleted with its client (storage/purge.ts).
CREATE TABLE client_registrations (
  client_id TEXT PRIMARY KEY REFERENCES clients (id) ON DELETE CASCADE,
  tenant_id TEXT NOT NULL,
  registration_token_hash TEXT NOT NULL UNIQUE,
  initial_access_token_id TEXT,
  metadata TEXT NOT NULL DEFAULT '{}',
  registered_at INTEGER NOT NULL,
  first_used_at INTEGER
) WITHOUT ROWID;
-- The purge finds unused registrations by age without reading every row.
CREATE INDEX client_registrations_unused ON client_registrations (registered_at)
  WHERE first_used_at IS NULL;

-- The `jti` of every private_key_jwt client assertion accepted (RFC 7523 §3 item 7), per client,
-- until the assertion expires: one conditional INSERT on the primary key, so a replay is refused
-- even when two isolates receive it at once (like dpop_proofs; checklist M01).
CREATE TABLE client_assertion_jtis (
  client_id TEXT NOT NULL,
  jti TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (client_id, jti)
) WITHOUT ROWID;
