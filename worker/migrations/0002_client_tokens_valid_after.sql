-- Disabling a client ends the tokens it was issued before, for good (checklist N04): access
-- tokens are self-contained JWTs, so re-enabling a client must not bring back a stolen one.
-- Token verification (storage/token-subjects.ts) refuses a token whose `iat` is not after
-- `tokens_valid_after`, which the client update (storage/clients.ts) sets when it disables.
ALTER TABLE clients ADD COLUMN tokens_valid_after INTEGER NOT NULL DEFAULT 0;
