-- The whole data model of edge-identity. Every table is documented in worker/storage-schema.md.
-- Times are unix seconds (INTEGER). Secrets, codes, tokens and session ids are stored only as
-- SHA-256 hashes (base64url), never raw (RFC 6819 §5.1.4.1.3). D1 enforces foreign keys.

CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- Users and clients draw their ids from one space, so a client id can never equal a user's
-- `sub` (RFC 9068 §5, RFC 9700 §4.15): the storage layer inserts here in the same transaction
-- as the user or client. Rows are never deleted, so an id is never reused.
CREATE TABLE principals (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('user', 'client'))
);

CREATE TABLE roles (
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  built_in INTEGER NOT NULL DEFAULT 0 CHECK (built_in IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX roles_unique_name ON roles (tenant_id, name COLLATE NOCASE);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  email_key TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  password_hash TEXT,
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  password_changed_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, email_key)
);

CREATE TABLE user_roles (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tenant_id TEXT NOT NULL,
  role_id TEXT NOT NULL,
  PRIMARY KEY (user_id, role_id),
  FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id) ON DELETE CASCADE
);

-- One-time links that let an invited user set a first password (or reset a forgotten one).
CREATE TABLE user_invitations (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  consumed_at INTEGER
);

CREATE TABLE clients (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  type TEXT NOT NULL CHECK (type IN ('client-credentials', 'authorization-code', 'hybrid')),
  name TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  access_token_lifetime INTEGER NOT NULL DEFAULT 3600
    CHECK (access_token_lifetime BETWEEN 60 AND 3600),
  allow_refresh_token INTEGER NOT NULL DEFAULT 0 CHECK (allow_refresh_token IN (0, 1)),
  redirect_uris TEXT NOT NULL DEFAULT '[]',
  post_logout_redirect_uris TEXT NOT NULL DEFAULT '[]',
  allowed_cors_origins TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX clients_by_tenant_type ON clients (tenant_id, type, created_at, id);

CREATE TABLE client_roles (
  client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  tenant_id TEXT NOT NULL,
  role_id TEXT NOT NULL,
  PRIMARY KEY (client_id, role_id),
  FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id) ON DELETE CASCADE
);

-- The browser origins each client accepts (its allowedCorsOrigins and the origins of its redirect
-- URIs), indexed by origin so a CORS preflight, which names no client, is one lookup.
CREATE TABLE client_cors_origins (
  origin TEXT NOT NULL,
  client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  PRIMARY KEY (origin, client_id)
);

CREATE TABLE client_secrets (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  secret_hash TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  expires_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX client_secrets_by_client ON client_secrets (client_id, created_at);

-- Signing keys. `next` keys are published in the JWKS before they sign anything; `retired` keys
-- stay published until `delete_after`, when every token they signed has expired (OIDC Core §10.1.1).
CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY,
  alg TEXT NOT NULL CHECK (alg IN ('RS256', 'ES256')),
  state TEXT NOT NULL CHECK (state IN ('next', 'active', 'retired')),
  public_jwk TEXT NOT NULL,
  private_jwk_ciphertext TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  activated_at INTEGER,
  retired_at INTEGER,
  delete_after INTEGER
);
-- At most one active and one next key per algorithm, even when isolates race to create them.
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (alg) WHERE state = 'active';
CREATE UNIQUE INDEX signing_keys_one_next ON signing_keys (alg) WHERE state = 'next';

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  secret_hash TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  auth_time INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  idle_expires_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- A grant is what one authorization produced for one client and user: the codes, access tokens
-- and refresh tokens it issues are revoked together (RFC 6749 §4.1.2, RFC 9700 §4.14.2).
CREATE TABLE grants (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  session_id TEXT,
  scope TEXT NOT NULL,
  auth_time INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX grants_by_session ON grants (session_id);
CREATE INDEX grants_by_user ON grants (user_id);

CREATE TABLE authorization_codes (
  code_hash TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  session_id TEXT,
  redirect_uri TEXT NOT NULL,
  -- 0 when the request named no redirect_uri (one was registered): the token request may then
  -- name it or not (RFC 6749 §4.1.3).
  redirect_uri_explicit INTEGER NOT NULL DEFAULT 1,
  scope TEXT NOT NULL,
  nonce TEXT,
  code_challenge TEXT,
  auth_time INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  consumed_at INTEGER,
  -- The request that consumed the code, so the statements of that request's batch (and only
  -- those) can tell the redemption was theirs.
  consumed_by TEXT
);

-- Refresh tokens rotate on every use: a used one (consumed_at set) presented again revokes its
-- grant (RFC 9700 §4.14.2). `scope` is the grant's; `expires_at` is idle-bounded and never past
-- the grant's own expiry (the session's absolute lifetime).
CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  consumed_at INTEGER,
  consumed_by TEXT
);
CREATE INDEX refresh_tokens_by_grant ON refresh_tokens (grant_id);

-- Access tokens issued to users, by grant: revoking a grant (code replay, refresh token reuse,
-- sign-out) revokes them at once, although they are self-contained JWTs.
CREATE TABLE access_tokens (
  jti TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL
);
CREATE INDEX access_tokens_by_grant ON access_tokens (grant_id);

-- Access tokens are self-contained JWTs; the ones revoked before they expire are listed here
-- (RFC 7009 §2) and checked by introspection and userinfo.
CREATE TABLE revoked_access_tokens (
  jti TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);

-- Consistent counters of failed authentications (RFC 6749 §2.3.1, RFC 6819 §5.1.4.2).
CREATE TABLE auth_failures (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  window_started_at INTEGER NOT NULL
);

CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT,
  occurred_at INTEGER NOT NULL,
  actor_type TEXT NOT NULL CHECK (actor_type IN ('user', 'client', 'operator', 'system')),
  actor_id TEXT,
  action TEXT NOT NULL,
  target_type TEXT,
  target_id TEXT,
  request_id TEXT,
  details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_by_tenant ON audit_events (tenant_id, occurred_at);
