-- API resources (RFC 8707 resource indicators): the protected resources of a tenant that a client
-- may name with `resource` at /authorize and /token. The access token's `aud` is the resource's
-- identifier, its scope is limited to the scopes the resource defines, its lifetime is the
-- resource's, and a resource with require_dpop gets only DPoP-bound tokens (RFC 9449).
-- The management API itself is the built-in resource {issuer}/api and has no row here.
CREATE TABLE resources (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- The resource indicator: an absolute URI without fragment, compared byte for byte.
  identifier TEXT NOT NULL,
  name TEXT NOT NULL,
  -- The scope values the resource defines, as a JSON array of scope-tokens (RFC 6749 §3.3).
  scopes TEXT NOT NULL DEFAULT '[]',
  access_token_lifetime INTEGER NOT NULL DEFAULT 3600,
  require_dpop INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, identifier)
);

-- The resources an authorization request named (a JSON array, NULL when it named none): the
-- token request may only narrow them (RFC 8707 §2.2). require_dpop is 1 when one of them requires
-- DPoP: the code is then redeemed only with a proof, and nothing is consumed without one.
ALTER TABLE authorization_codes ADD COLUMN resources TEXT;
ALTER TABLE authorization_codes ADD COLUMN require_dpop INTEGER NOT NULL DEFAULT 0;

-- The resources of a grant (those of its code): a refresh may narrow them, never widen them.
ALTER TABLE grants ADD COLUMN resources TEXT;
