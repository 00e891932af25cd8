-- Open311 clients: the programs of other organisations that file requests
-- through /open311/v2/requests.json, each with an api_key an administrator
-- issued.  Only the key's SHA-256 is kept (the key is shown once, like a
-- generated password); key_prefix is its first characters, enough to tell
-- keys apart on the admin page and nothing to log in with.  A revoked key
-- stays revoked: the row is kept for the record and cannot come back.

CREATE TABLE open311_clients (
	id		serial PRIMARY KEY,
	name		text NOT NULL CHECK (length(name) BETWEEN 2 AND 120),
	contact		text CHECK (length(contact) <= 200),
	key_hash	bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
	key_prefix	text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	created_by	integer REFERENCES users (id),
	last_used_at	timestamptz,
	revoked_at	timestamptz,
	revoked_by	integer REFERENCES users (id)
);

-- Only use and revocation change a client; revocation is for good.
CREATE FUNCTION open311_clients_guard() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.id <> OLD.id OR NEW.key_hash <> OLD.key_hash OR
	    NEW.key_prefix <> OLD.key_prefix OR NEW.name <> OLD.name OR
	    NEW.contact IS DISTINCT FROM OLD.contact OR
	    NEW.created_at <> OLD.created_at OR
	    NEW.created_by IS DISTINCT FROM OLD.created_by OR
	    (OLD.revoked_at IS NOT NULL AND
	     (NEW.revoked_at IS DISTINCT FROM OLD.revoked_at OR
	      NEW.revoked_by IS DISTINCT FROM OLD.revoked_by)) THEN
		RAISE EXCEPTION 'open311_clients: only last_used_at and a first revocation may change'
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER open311_clients_guard BEFORE UPDATE ON open311_clients
    FOR EACH ROW EXECUTE FUNCTION open311_clients_guard();

GRANT SELECT, INSERT, UPDATE ON open311_clients TO app;
GRANT USAGE, SELECT ON SEQUENCE open311_clients_id_seq TO app;
REVOKE DELETE, TRUNCATE ON open311_clients FROM app;

-- Issuing and revoking keys are administrative changes like the others.
ALTER TABLE admin_events DROP CONSTRAINT admin_events_target_kind_check;
ALTER TABLE admin_events ADD CONSTRAINT admin_events_target_kind_check
    CHECK (target_kind IN ('user', 'agency', 'field', 'calendar',
    'open311_client'));
