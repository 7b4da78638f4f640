-- Passkeys (WebAuthn Level 3): public-key credentials a user signs in with instead of a password.
-- Every tenant shares the issuer's host as the relying party id, so a credential id is unique
-- across tenants (WebAuthn §7.1 step 26: a credential id registered once is refused again).
CREATE TABLE passkeys (
  credential_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- The credential's COSE public key, base64url (WebAuthn §6.5.1.1).
  public_key TEXT NOT NULL,
  -- The last signature counter seen; a non-zero counter that does not grow is refused (§6.1.1).
  sign_count INTEGER NOT NULL,
  -- JSON array of AuthenticatorTransport values, hints for the browser.
  transports TEXT NOT NULL DEFAULT '[]',
  backup_eligible INTEGER NOT NULL,
  backed_up INTEGER NOT NULL,
  -- 'platform', 'cross-platform' or NULL when the browser did not say.
  attachment TEXT,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE INDEX passkeys_by_user ON passkeys (user_id, created_at);

-- The WebAuthn user handle of a user (user.id of the creation options): 32 random bytes, never
-- the email (WebAuthn §14.6.1), the same for all of the user's passkeys.
ALTER TABLE users ADD COLUMN passkey_user_handle TEXT;
CREATE UNIQUE INDEX users_passkey_user_handle ON users (passkey_user_handle)
  WHERE passkey_user_handle IS NOT NULL;

-- Ceremony challenges, single use: consumed by one conditional UPDATE (like codes, checklist
-- M01), short-lived, purged by the daily cron. A registration challenge belongs to one user.
CREATE TABLE passkey_challenges (
  challenge TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  ceremony TEXT NOT NULL CHECK (ceremony IN ('registration', 'authentication')),
  user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  consumed_at INTEGER
);

-- How the user authenticated (RFC 8176 `amr` values, JSON array), from the session to the codes
-- and grants it produces, so every ID token of a sign-in tells the same.
ALTER TABLE sessions ADD COLUMN amr TEXT NOT NULL DEFAULT '["pwd"]';
ALTER TABLE authorization_codes ADD COLUMN amr TEXT NOT NULL DEFAULT '["pwd"]';
ALTER TABLE grants ADD COLUMN amr TEXT NOT NULL DEFAULT '["pwd"]';
