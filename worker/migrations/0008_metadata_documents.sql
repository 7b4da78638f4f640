-- Client ID metadata documents (issue 17, draft-ietf-oauth-client-id-metadata-document): a client
-- whose id is the https URL of its metadata is stored as a row of `clients` (registration
-- 'metadata-document') on its first valid fetch. The row is the positive cache of the document:
-- until `metadata_expires_at` (unix seconds, within the bounds of
-- worker/src/domain/metadata-document.ts, from the response's Cache-Control) the row is used as
-- it is; after it, the document is fetched again and the row updated. NULL for other clients.
ALTER TABLE clients ADD COLUMN metadata_expires_at INTEGER;

-- Disabling a client ends its grants (UPDATE grants ... WHERE client_id = ?), and deleting it
-- cascades to them: without this index both read every grant of every client. Third-party
-- clients make both routine (an administrator disabling an unwanted agent), so they get one.
CREATE INDEX grants_by_client ON grants (client_id);
-- A refetched document replaces its client's CORS origins (DELETE ... WHERE client_id = ?): the
-- table's key starts with the origin, so without this index that delete reads the whole table.
CREATE INDEX client_cors_origins_by_client ON client_cors_origins (client_id);
