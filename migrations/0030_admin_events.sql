-- What administrators change (users, agencies, fields, the calendar) and
-- every password change, kept as it happened.  Append-only like
-- ticket_events: the database refuses to change or remove a row, whoever
-- asks.  No secret ever goes into a payload.

CREATE TABLE admin_events (
	id		bigserial PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT clock_timestamp(),
	actor_id	integer REFERENCES users (id),
	actor_label	text NOT NULL,
	kind		text NOT NULL,
	target_kind	text NOT NULL CHECK (target_kind IN
			    ('user', 'agency', 'field', 'calendar')),
	target_id	text NOT NULL,
	target_label	text,
	payload		jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX admin_events_target ON admin_events (target_kind, target_id, id);

CREATE FUNCTION admin_events_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'admin_events is append-only (% refused)', TG_OP
	    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER admin_events_no_update BEFORE UPDATE OR DELETE ON admin_events
    FOR EACH ROW EXECUTE FUNCTION admin_events_append_only();
CREATE TRIGGER admin_events_no_truncate BEFORE TRUNCATE ON admin_events
    FOR EACH STATEMENT EXECUTE FUNCTION admin_events_append_only();

GRANT SELECT, INSERT ON admin_events TO app;
GRANT USAGE, SELECT ON SEQUENCE admin_events_id_seq TO app;
REVOKE UPDATE, DELETE, TRUNCATE ON admin_events FROM app;

-- The number urgent calls are forwarded to: digits, an optional leading +.
ALTER TABLE agencies ADD CONSTRAINT agencies_phone_digits
    CHECK (phone IS NULL OR phone ~ '^\+?[0-9]{2,31}$');
