-- Consents (issue 17): what a user allowed a third-party client (one that registered itself,
-- through a client ID metadata document or dynamic registration) on the consent page. One row
-- per user and client; a later consent widens it (the union of scopes and resources). The user
-- withdraws it on the account page, which also revokes that user's grants for that client.
-- Administrator clients never have a row: the administrator consented for the tenant
-- (docs/architecture.md "Consent").
CREATE TABLE consents (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- The granted scope values and resource indicators (RFC 8707), JSON arrays of strings.
  scopes TEXT NOT NULL DEFAULT '[]',
  resources TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, client_id)
) WITHOUT ROWID;
-- Deleting a client cascades here: without this index each delete would scan every consent.
CREATE INDEX consents_by_client ON consents (client_id);
