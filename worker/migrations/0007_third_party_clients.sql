-- Third-party clients (issue 17): clients that registered themselves, through a client ID
-- metadata document (draft-ietf-oauth-client-id-metadata-document) or dynamic registration
-- (RFC 7591), beside the seed's three kinds that an administrator creates.
--
-- They use the authorization-code grant with PKCE, so their `type` is 'authorization-code'. The
-- CHECK on `type` cannot change without rebuilding the table, and dropping `clients` would
-- cascade-delete every secret, code and grant that references it (D1 enforces foreign keys):
-- `registration` tells the kinds apart instead. The management API's authorization-code
-- collection shows only `registration = 'administrator'`.
ALTER TABLE clients ADD COLUMN registration TEXT NOT NULL DEFAULT 'administrator'
  CHECK (registration IN ('administrator', 'metadata-document', 'dynamic'));
-- How a third-party client authenticates at the token endpoint (RFC 7591 §2): 'none' (public,
-- PKCE only) or 'private_key_jwt' (RFC 7523, keys at jwks_uri). NULL for an administrator's
-- client, whose type decides.
ALTER TABLE clients ADD COLUMN token_endpoint_auth_method TEXT
  CHECK (token_endpoint_auth_method IS NULL OR token_endpoint_auth_method IN ('none', 'private_key_jwt'));
-- The client's own metadata (RFC 7591 §2), shown on the consent page; NULL when absent.
ALTER TABLE clients ADD COLUMN jwks_uri TEXT;
ALTER TABLE clients ADD COLUMN logo_uri TEXT;
ALTER TABLE clients ADD COLUMN client_uri TEXT;

-- Lists and counts per kind stay on an index (query-plans test).
DROP INDEX clients_by_tenant_type;
CREATE INDEX clients_by_tenant_kind ON clients (tenant_id, registration, type, created_at, id);

-- A tenant's policy for third-party clients. Client ID metadata documents: 'all' hosts,
-- an 'allow-list' of hosts (metadata_document_hosts, a JSON array of host names), or 'none'.
-- Dynamic registration (RFC 7591) is off unless the administrator turns it on.
ALTER TABLE tenants ADD COLUMN metadata_document_policy TEXT NOT NULL DEFAULT 'all'
  CHECK (metadata_document_policy IN ('all', 'allow-list', 'none'));
ALTER TABLE tenants ADD COLUMN metadata_document_hosts TEXT NOT NULL DEFAULT '[]';
ALTER TABLE tenants ADD COLUMN dynamic_registration INTEGER NOT NULL DEFAULT 0
  CHECK (dynamic_registration IN (0, 1));
