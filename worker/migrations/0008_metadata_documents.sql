-- Client ID metadata documents (issue 17, draft-ietf-oauth-client-id-metadata-document): a client
-- whose id is the https URL of its metadata is stored as a row of `clients` (registration
-- 'metadata-document') on its first valid fetch. The row is the positive cache of the document:
-- until `metadata_expires_at` (unix seconds, within the bounds of
-- worker/src/domain/metadata-document.ts, from the response's Cache-Control) the row is used as
-- it is; after it, the document is fetched again and the row updated. NULL for other clients.
ALTER TABLE clients ADD COLUMN metadata_expires_at INTEGER;
