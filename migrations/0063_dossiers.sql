-- Dossier-status lookup (issue 10): a citizen or an operator asks where a
-- one-stop dossier (hồ sơ một cửa) stands by the code printed on its
-- receipt.  The answer comes from one of two adapters (src/dossiers.c):
-- the local table `dossiers`, filled by an administrator's import, or the
-- province's one-stop system over HTTP, whose answers are kept a short
-- while in `dossier_cache`.  docs/dossiers.md describes both.

-- The local copy, one row per code; a re-import updates by code.
CREATE TABLE dossiers (
	code		text PRIMARY KEY CHECK (length(code) BETWEEN 10 AND 40
			    AND code ~ '^[0-9A-Z.]+-[0-9]{6}-[0-9]{4,6}$'),
	status		text NOT NULL CHECK (status IN ('received', 'processing',
			    'supplement', 'ready', 'returned', 'rejected',
			    'withdrawn')),
	procedure	text CHECK (length(procedure) <= 300),
	agency		text NOT NULL CHECK (length(agency) BETWEEN 1 AND 200),
	received_on	date NOT NULL,
	due_on		date,
	missing		text CHECK (length(missing) <= 500),
	pickup		text CHECK (length(pickup) <= 300),
	imported_at	timestamptz NOT NULL DEFAULT now(),
	imported_by	integer REFERENCES users (id)
);

-- One row: which adapter answers, and how to reach the remote one.  The
-- password is never sent back to a page (src/dossiers.c).
CREATE TABLE dossier_settings (
	id		boolean PRIMARY KEY DEFAULT true CHECK (id),
	adapter		text NOT NULL DEFAULT 'local'
			    CHECK (adapter IN ('local', 'http')),
	url		text NOT NULL DEFAULT '' CHECK (length(url) <= 500),
	username	text NOT NULL DEFAULT '' CHECK (length(username) <= 200),
	password	text NOT NULL DEFAULT '' CHECK (length(password) <= 200),
	timeout_ms	integer NOT NULL DEFAULT 3000
			    CHECK (timeout_ms BETWEEN 200 AND 30000),
	cache_seconds	integer NOT NULL DEFAULT 120
			    CHECK (cache_seconds BETWEEN 0 AND 3600),
	-- SMS gateways and kiosks ask for many citizens from one address:
	-- these addresses ("10.0.0.5,10.0.0.6") are not limited.
	trusted		text NOT NULL DEFAULT '' CHECK (length(trusted) <= 1000),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	integer REFERENCES users (id)
);
INSERT INTO dossier_settings DEFAULT VALUES;

-- What the remote system said, found (payload) or not (NULL), for
-- dossier_settings.cache_seconds.  An unavailable system is never cached.
CREATE TABLE dossier_cache (
	code		text PRIMARY KEY,
	payload		jsonb,
	fetched_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dossier_cache_fetched ON dossier_cache (fetched_at);

-- A ticket about a dossier: the operator sees the dossier beside it.
-- Kept apart from tickets so the one ticket path stays as it is.
CREATE TABLE ticket_dossiers (
	ticket_id	bigint NOT NULL REFERENCES tickets (id),
	code		text NOT NULL CHECK (length(code) BETWEEN 10 AND 40),
	linked_by	integer NOT NULL REFERENCES users (id),
	linked_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (ticket_id, code)
);

GRANT SELECT, INSERT, UPDATE ON dossiers TO app;
GRANT SELECT, UPDATE ON dossier_settings TO app;
GRANT SELECT, INSERT, UPDATE, DELETE ON dossier_cache TO app;
GRANT SELECT, INSERT, DELETE ON ticket_dossiers TO app;
