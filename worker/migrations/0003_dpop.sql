-- DPoP (RFC 9449): sender-constrained tokens.

-- The `jti` of every DPoP proof accepted, keyed by the proof key's thumbprint (RFC 7638) and the
-- jti, until the proof's `iat` leaves the acceptance window (steps/check-dpop-proof.ts). The
-- primary key makes acceptance one conditional INSERT: of two isolates that receive the same
-- proof, exactly one inserts the row and the other is refused (RFC 9449 §11.1, checklist M01).
-- Pruned by the daily cron (storage/purge.ts).
CREATE TABLE dpop_proofs (
  jkt TEXT NOT NULL,
  jti TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (jkt, jti)
) WITHOUT ROWID;

-- A client that must present a DPoP proof on every token request: it never gets an unbound token.
ALTER TABLE clients ADD COLUMN require_dpop INTEGER NOT NULL DEFAULT 0;

-- RFC 9449 §10: the thumbprint named by `dpop_jkt` at /authorize; the token request must prove it.
ALTER TABLE authorization_codes ADD COLUMN dpop_jkt TEXT;

-- The key a grant's refresh tokens are bound to (the key proved when its code was redeemed):
-- every refresh must prove the same key (RFC 9449 §5).
ALTER TABLE grants ADD COLUMN dpop_jkt TEXT;
