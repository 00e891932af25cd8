-- The catalog's history that can't be erased, the articles' own history,
-- and the scheduled sync from a URL (issue 10).
--
-- procedure_versions and article_versions are append-only like
-- ticket_events (0001) and admin_events (0030): the database refuses to
-- change or remove a row, whoever asks; the app role may only read and
-- append.

CREATE FUNCTION catalog_history_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP
	    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER procedure_versions_no_update
    BEFORE UPDATE OR DELETE ON procedure_versions
    FOR EACH ROW EXECUTE FUNCTION catalog_history_append_only();
CREATE TRIGGER procedure_versions_no_truncate
    BEFORE TRUNCATE ON procedure_versions
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_history_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON procedure_versions FROM app;

-- A procedure with a history is never deleted (withdrawn instead): the
-- foreign key already refuses it, the grant says so too.
REVOKE DELETE, TRUNCATE ON procedures FROM app;

-- Every change of an article keeps the text before it: who, when.
CREATE TABLE article_versions (
	id		bigserial PRIMARY KEY,
	article_id	integer NOT NULL REFERENCES articles (id),
	previous	jsonb NOT NULL,
	changed_at	timestamptz NOT NULL DEFAULT now(),
	changed_by	integer REFERENCES users (id)
);
CREATE INDEX article_versions_of ON article_versions (article_id, id DESC);

CREATE FUNCTION articles_keep_previous() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
	IF (to_jsonb(OLD) - 'updated_at' - 'updated_by') IS NOT DISTINCT FROM
	    (to_jsonb(NEW) - 'updated_at' - 'updated_by') THEN
		RETURN NEW;
	END IF;
	INSERT INTO article_versions (article_id, previous, changed_by)
	    VALUES (OLD.id, to_jsonb(OLD), NEW.updated_by);
	NEW.updated_at := now();
	RETURN NEW;
END $$;

CREATE TRIGGER articles_history BEFORE UPDATE ON articles
    FOR EACH ROW EXECUTE FUNCTION articles_keep_previous();

CREATE TRIGGER article_versions_no_update
    BEFORE UPDATE OR DELETE ON article_versions
    FOR EACH ROW EXECUTE FUNCTION catalog_history_append_only();
CREATE TRIGGER article_versions_no_truncate
    BEFORE TRUNCATE ON article_versions
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_history_append_only();
GRANT SELECT, INSERT ON article_versions TO app;
GRANT USAGE, SELECT ON SEQUENCE article_versions_id_seq TO app;
REVOKE UPDATE, DELETE, TRUNCATE ON article_versions FROM app;

-- An article is withdrawn (expires now), never deleted: what was
-- published stays on record with its versions.
REVOKE DELETE, TRUNCATE ON articles FROM app;

-- The scheduled sync of the national procedures database from a URL
-- (src/catalog_sync.c): one row of settings and of the last outcome.
-- The credential is written, never read back by the pages.
CREATE TABLE catalog_sync (
	id		boolean PRIMARY KEY DEFAULT true CHECK (id),
	url		text NOT NULL DEFAULT ''
			CHECK (url = '' OR (url ~ '^https?://[^[:space:]]+$'
			    AND length(url) <= 1000)),
	username	text NOT NULL DEFAULT '' CHECK (length(username) <= 200),
	password	text NOT NULL DEFAULT '' CHECK (length(password) <= 500),
	enabled		boolean NOT NULL DEFAULT false,
	-- daily, at this hour of the center's time zone
	hour		smallint NOT NULL DEFAULT 2 CHECK (hour BETWEEN 0 AND 23),
	timeout_sec	smallint NOT NULL DEFAULT 300
			CHECK (timeout_sec BETWEEN 2 AND 3600),
	requested_at	timestamptz,		-- "Đồng bộ ngay"
	running		boolean NOT NULL DEFAULT false,
	last_at		timestamptz,
	last_ok		boolean,
	last_error	text,
	last_run	integer REFERENCES import_runs (id),
	updated_by	integer REFERENCES users (id)
);
INSERT INTO catalog_sync DEFAULT VALUES;
REVOKE INSERT, DELETE, TRUNCATE ON catalog_sync FROM app;

-- Due: asked for now, or enabled and today's hour passed since the last.
CREATE FUNCTION catalog_sync_due(s catalog_sync) RETURNS boolean
    LANGUAGE sql STABLE AS $$
	SELECT $1.url <> '' AND NOT $1.running AND ($1.requested_at IS NOT NULL
	    OR ($1.enabled
	    AND now() >= date_trunc('day', now()) + make_interval(hours => $1.hour)
	    AND ($1.last_at IS NULL OR $1.last_at <
		date_trunc('day', now()) + make_interval(hours => $1.hour))))
$$;
