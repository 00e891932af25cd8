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
