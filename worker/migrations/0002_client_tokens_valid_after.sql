-- Disabling a client ends the tokens it was issued before, for good (checklist N04): access
-- tokens are self-contained JWTs, so re-enabling a client must not bring back a stolen one.
-- Token verification (storage/token-subjects.ts) refuses a token whose `iat` is not after
-- `tokens_valid_after`.
ALTER TABLE clients ADD COLUMN tokens_valid_after INTEGER NOT NULL DEFAULT 0;

-- Set when a client is replaced and left disabled, at the time of the change. The trigger hangs
-- on the change's audit event (written in the same transaction, only when the client row
-- changed) rather than on `clients` itself: D1 counts a trigger's writes in the triggering
-- statement's `meta.changes`, which the client update checks to be exactly 1. A disabled client
-- gets no tokens, so moving the cutoff again on each change while it stays disabled is harmless.
CREATE TRIGGER client_disable_ends_tokens
AFTER INSERT ON audit_events
WHEN NEW.action = 'client.replaced' AND NEW.target_type = 'client'
BEGIN
  UPDATE clients SET tokens_valid_after = MAX(tokens_valid_after, NEW.occurred_at)
  WHERE id = NEW.target_id AND enabled = 0;
END;
