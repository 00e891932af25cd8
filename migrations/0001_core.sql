-- Core schema: agencies, fields, users, sessions, tickets and their history.
-- Applied by scripts/db migrate as the cluster superuser, in one transaction.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app') THEN
		CREATE ROLE app LOGIN;
	END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO app;

-- unaccent() is only STABLE (it reads a dictionary); indexes need an
-- IMMUTABLE wrapper that names the dictionary explicitly.
CREATE FUNCTION f_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

CREATE TABLE agencies (
	id		serial PRIMARY KEY,
	code		text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9-]{2,32}$'),
	name		text NOT NULL CHECK (length(name) BETWEEN 2 AND 200),
	kind		text NOT NULL CHECK (kind IN ('so', 'ban', 'nganh', 'huyen', 'xa', 'khac')),
	phone		text,
	email		text,
	active		boolean NOT NULL DEFAULT true
);

CREATE TABLE fields (
	id		serial PRIMARY KEY,
	code		text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]{2,40}$'),
	name		text NOT NULL CHECK (length(name) BETWEEN 2 AND 200),
	default_agency_id integer REFERENCES agencies (id),
	deadline_days	integer NOT NULL DEFAULT 5 CHECK (deadline_days BETWEEN 1 AND 60),
	sort		integer NOT NULL DEFAULT 100,
	active		boolean NOT NULL DEFAULT true
);

CREATE TABLE users (
	id		serial PRIMARY KEY,
	username	text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._-]{3,40}$'),
	full_name	text NOT NULL CHECK (length(full_name) BETWEEN 2 AND 120),
	role		text NOT NULL CHECK (role IN ('operator', 'supervisor', 'agency', 'admin')),
	agency_id	integer REFERENCES agencies (id),
	password_hash	text NOT NULL,
	active		boolean NOT NULL DEFAULT true,
	created_at	timestamptz NOT NULL DEFAULT now(),
	-- An agency officer always belongs to exactly one agency; nobody else does.
	CHECK ((role = 'agency') = (agency_id IS NOT NULL))
);

-- Only a hash of the session token is stored: a leaked table opens no session.
CREATE TABLE sessions (
	token_hash	bytea PRIMARY KEY,
	user_id		integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf		text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Public holidays, and Saturdays/Sundays that are worked in exchange
-- ("ngày làm bù"), for deadlines in working days.
CREATE TABLE calendar_days (
	day		date PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('holiday', 'workday')),
	name		text NOT NULL
);

-- Fixed-window counters for rate limits (submissions, logins), shared by
-- every worker and node.
CREATE TABLE rate_limits (
	key		text NOT NULL,
	window_start	timestamptz NOT NULL,
	hits		integer NOT NULL,
	PRIMARY KEY (key, window_start)
);

CREATE TABLE contacts (
	id		bigserial PRIMARY KEY,
	name		text,
	phone		text,
	email		text,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX contacts_phone ON contacts (phone) WHERE phone IS NOT NULL;

CREATE TABLE tickets (
	id		bigserial PRIMARY KEY,
	code		text NOT NULL UNIQUE,
	channel		text NOT NULL CHECK (channel IN
			    ('web', 'phone', 'email', 'chat', 'zalo', 'facebook', 'open311', 'other')),
	contact_id	bigint REFERENCES contacts (id),
	name		text NOT NULL,
	phone		text,
	email		text,
	field_id	integer REFERENCES fields (id),
	level		smallint CHECK (level BETWEEN 1 AND 3),
	status		text NOT NULL DEFAULT 'new' CHECK (status IN
			    ('new', 'classified', 'forwarded', 'needs_info', 'returned',
			     'agency_answered', 'answered', 'closed', 'reopened')),
	title		text NOT NULL,
	content		text NOT NULL,
	agency_id	integer REFERENCES agencies (id),
	due_at		timestamptz,
	answer		text,
	answered_at	timestamptz,
	published	boolean NOT NULL DEFAULT false,
	submit_key	text,
	created_by	integer REFERENCES users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	closed_at	timestamptz
);
CREATE INDEX tickets_status ON tickets (status, created_at DESC);
CREATE INDEX tickets_agency ON tickets (agency_id, status) WHERE agency_id IS NOT NULL;
CREATE INDEX tickets_submit_key ON tickets (submit_key, created_at) WHERE submit_key IS NOT NULL;
CREATE INDEX tickets_phone ON tickets (phone);
CREATE INDEX tickets_published_trgm ON tickets
    USING gin (f_unaccent(title || ' ' || content || ' ' || coalesce(answer, '')) gin_trgm_ops)
    WHERE published;

CREATE TABLE attachments (
	id		bigserial PRIMARY KEY,
	ticket_id	bigint NOT NULL REFERENCES tickets (id),
	stored_name	text NOT NULL UNIQUE,
	original_name	text NOT NULL,
	mime		text NOT NULL,
	size		integer NOT NULL CHECK (size > 0),
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_ticket ON attachments (ticket_id);

-- The history of every ticket.  Append-only: what happened stays as it
-- happened, for audits and complaints.  The database itself refuses to
-- change or remove a row, whoever asks.
CREATE TABLE ticket_events (
	id		bigserial PRIMARY KEY,
	ticket_id	bigint NOT NULL REFERENCES tickets (id),
	at		timestamptz NOT NULL DEFAULT clock_timestamp(),
	actor_id	integer REFERENCES users (id),
	actor_label	text NOT NULL,
	kind		text NOT NULL,
	public		boolean NOT NULL DEFAULT false,
	note		text,
	payload		jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);

CREATE FUNCTION ticket_events_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'ticket_events is append-only (% refused)', TG_OP
	    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE OR DELETE ON ticket_events
    FOR EACH ROW EXECUTE FUNCTION ticket_events_append_only();
CREATE TRIGGER ticket_events_no_truncate BEFORE TRUNCATE ON ticket_events
    FOR EACH STATEMENT EXECUTE FUNCTION ticket_events_append_only();

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO app;
REVOKE UPDATE, DELETE, TRUNCATE ON ticket_events FROM app;
