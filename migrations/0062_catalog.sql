-- The procedures catalog (thủ tục hành chính), the policies, notices and
-- FAQ articles, and the one search over both (issue 10).
--
-- Search: both sides through f_unaccent() (0001), so "chung thuc ban sao"
-- finds "chứng thực bản sao"; pg_trgm's word similarity forgives typos
-- ("chung thuk"); a name match always ranks above a match in the body.
-- The expressions below are the ones the indexes are built on.

CREATE TABLE procedures (
	id		serial PRIMARY KEY,
	code		text NOT NULL UNIQUE
			CHECK (code ~ '^[0-9A-Za-z][0-9A-Za-z.-]{0,39}$'),
	name		text NOT NULL CHECK (length(name) BETWEEN 2 AND 500),
	field		text NOT NULL DEFAULT '' CHECK (length(field) <= 200),
	level		text NOT NULL CHECK (level IN ('tinh', 'huyen', 'xa')),
	receiving_agency text NOT NULL DEFAULT '' CHECK (length(receiving_agency) <= 500),
	deciding_agency	text NOT NULL DEFAULT '' CHECK (length(deciding_agency) <= 500),
	steps		text NOT NULL DEFAULT '' CHECK (length(steps) <= 20000),
	dossier		text NOT NULL DEFAULT '' CHECK (length(dossier) <= 20000),
	-- [{"name": "...", "url": "https://..."}], checked by the writers
	forms		jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(forms) = 'array'),
	processing_time	text NOT NULL DEFAULT '' CHECK (length(processing_time) <= 1000),
	fees		text NOT NULL DEFAULT '' CHECK (length(fees) <= 2000),
	legal_basis	text NOT NULL DEFAULT '' CHECK (length(legal_basis) <= 10000),
	applicants	text NOT NULL DEFAULT '' CHECK (length(applicants) <= 2000),
	-- dịch vụ công trực tuyến: 0 none, 1..4 (2: một phần … 4: toàn trình)
	online_level	smallint NOT NULL DEFAULT 0 CHECK (online_level BETWEEN 0 AND 4),
	submission	text NOT NULL DEFAULT '' CHECK (length(submission) <= 2000),
	result_delivery	text NOT NULL DEFAULT '' CHECK (length(result_delivery) <= 2000),
	postal		boolean NOT NULL DEFAULT false,
	changed_on	date,
	status		text NOT NULL DEFAULT 'active'
			CHECK (status IN ('active', 'withdrawn')),
	withdrawn_at	timestamptz,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	integer REFERENCES users (id),
	updated_via	text NOT NULL DEFAULT 'admin'
			CHECK (updated_via IN ('admin', 'import', 'sync', 'demo')),
	-- came from the national database: withdrawn when it vanishes there
	in_source	boolean NOT NULL DEFAULT false
);

-- What the body search reads, one place.
CREATE FUNCTION procedure_body(p procedures) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT $1.field || ' ' || $1.receiving_agency || ' ' ||
	$1.deciding_agency || ' ' || $1.steps || ' ' || $1.dossier || ' ' ||
	$1.applicants || ' ' || $1.legal_basis $$;

CREATE INDEX procedures_name_trgm ON procedures
    USING gin (f_unaccent(name) gin_trgm_ops);
CREATE INDEX procedures_body_trgm ON procedures
    USING gin (f_unaccent(procedure_body(procedures)) gin_trgm_ops);
CREATE INDEX procedures_fts ON procedures USING gin (
    (setweight(to_tsvector('simple', f_unaccent(name)), 'A') ||
     setweight(to_tsvector('simple', f_unaccent(procedure_body(procedures))), 'B')));
CREATE INDEX procedures_field ON procedures (field, name);

-- Every change keeps the text before it: who, when, how.
CREATE TABLE procedure_versions (
	id		bigserial PRIMARY KEY,
	procedure_id	integer NOT NULL REFERENCES procedures (id),
	previous	jsonb NOT NULL,
	changed_at	timestamptz NOT NULL DEFAULT now(),
	changed_by	integer REFERENCES users (id),
	changed_via	text NOT NULL
);
CREATE INDEX procedure_versions_of ON procedure_versions (procedure_id, id DESC);

CREATE FUNCTION procedures_keep_previous() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
	IF (to_jsonb(OLD) - 'updated_at' - 'updated_by' - 'updated_via') IS
	    NOT DISTINCT FROM
	    (to_jsonb(NEW) - 'updated_at' - 'updated_by' - 'updated_via') THEN
		RETURN NEW;
	END IF;
	INSERT INTO procedure_versions (procedure_id, previous, changed_by,
	    changed_via)
	    VALUES (OLD.id, to_jsonb(OLD), NEW.updated_by, NEW.updated_via);
	NEW.updated_at := now();
	RETURN NEW;
END $$;

CREATE TRIGGER procedures_history BEFORE UPDATE ON procedures
    FOR EACH ROW EXECUTE FUNCTION procedures_keep_previous();

-- Policies, notices, FAQ: published from publish_at, hidden after
-- expires_at (kept for the administrators).
CREATE TABLE articles (
	id		serial PRIMARY KEY,
	slug		text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,79}$'),
	kind		text NOT NULL CHECK (kind IN ('chinh-sach', 'thong-bao', 'hoi-dap')),
	title		text NOT NULL CHECK (length(title) BETWEEN 2 AND 300),
	body		text NOT NULL CHECK (length(body) BETWEEN 1 AND 50000),
	field		text NOT NULL DEFAULT '' CHECK (length(field) <= 200),
	publish_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz CHECK (expires_at IS NULL OR expires_at > publish_at),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	integer REFERENCES users (id)
);
CREATE INDEX articles_title_trgm ON articles USING gin (f_unaccent(title) gin_trgm_ops);
CREATE INDEX articles_body_trgm ON articles USING gin (f_unaccent(body) gin_trgm_ops);

-- What the public may see today: written once.
CREATE FUNCTION article_is_live(a articles) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$ SELECT $1.publish_at <= now() AND
	($1.expires_at IS NULL OR $1.expires_at > now()) $$;

-- The score of a text against the words, the words already through
-- f_unaccent(): a name (title) match is 2 and more, a body-only match
-- below 2, no match NULL.  The caller's WHERE has already used the
-- index (<% or @@); this only orders.
CREATE FUNCTION catalog_score(qu text, name_u text, body_u text)
    RETURNS real LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE
	WHEN strpos(name_u, qu) > 0 THEN 3 + word_similarity(qu, name_u)
	WHEN qu <% name_u THEN 2 + word_similarity(qu, name_u)
	WHEN strpos(body_u, qu) > 0 THEN 1 + word_similarity(qu, body_u)
	ELSE word_similarity(qu, body_u) END $$;

-- The procedures that match q (raw words; NULL or '' matches all), of a
-- field and a level when given, withdrawn ones only when asked.
CREATE FUNCTION procedures_find(q text, in_field text, in_level text,
    with_withdrawn boolean)
    RETURNS TABLE (id integer, score real)
    LANGUAGE sql STABLE AS $$
	WITH w AS (SELECT f_unaccent(coalesce(btrim(q), '')) AS qu)
	SELECT p.id, CASE WHEN w.qu = '' THEN 0
	    ELSE catalog_score(w.qu, f_unaccent(p.name),
		f_unaccent(procedure_body(p))) END
	FROM procedures p, w
	WHERE (with_withdrawn OR p.status = 'active')
	  AND (coalesce(in_field, '') = '' OR p.field = in_field)
	  AND (coalesce(in_level, '') = '' OR p.level = in_level)
	  AND (w.qu = ''
	    OR w.qu <% f_unaccent(p.name)
	    OR w.qu <% f_unaccent(procedure_body(p))
	    OR (setweight(to_tsvector('simple', f_unaccent(p.name)), 'A') ||
		setweight(to_tsvector('simple', f_unaccent(procedure_body(p))), 'B'))
		@@ plainto_tsquery('simple', w.qu))
$$;

-- The live articles that match q (raw words; NULL or '' matches all), of
-- a kind when given.
CREATE FUNCTION articles_find(q text, in_kind text)
    RETURNS TABLE (id integer, score real)
    LANGUAGE sql STABLE AS $$
	WITH w AS (SELECT f_unaccent(coalesce(btrim(q), '')) AS qu)
	SELECT a.id, CASE WHEN w.qu = '' THEN 0
	    ELSE catalog_score(w.qu, f_unaccent(a.title), f_unaccent(a.body)) END
	FROM articles a, w
	WHERE article_is_live(a)
	  AND (coalesce(in_kind, '') = '' OR a.kind = in_kind)
	  AND (w.qu = '' OR w.qu <% f_unaccent(a.title)
	    OR w.qu <% f_unaccent(a.body))
$$;

-- One search over procedures and live articles for the portal and the
-- operators' suggestions: (kind, ref, title, snippet, url, score).
CREATE FUNCTION catalog_search(q text, lim int)
    RETURNS TABLE (kind text, ref text, title text, snippet text, url text,
	score real)
    LANGUAGE sql STABLE AS $$
	SELECT * FROM (
	    SELECT 'procedure'::text, p.code, p.name,
		left(regexp_replace(p.field || ' · ' || p.receiving_agency || '. ' ||
		    p.steps, '\s+', ' ', 'g'), 240),
		'/thu-tuc/' || p.code, f.score
	    FROM procedures_find(q, NULL, NULL, false) f
	    JOIN procedures p ON p.id = f.id
	    WHERE btrim(coalesce(q, '')) <> ''
	    UNION ALL
	    SELECT a.kind, a.slug, a.title,
		left(regexp_replace(a.body, '\s+', ' ', 'g'), 240),
		'/thong-tin/' || a.slug, f.score
	    FROM articles_find(q, NULL) f
	    JOIN articles a ON a.id = f.id
	    WHERE btrim(coalesce(q, '')) <> ''
	) s (kind, ref, title, snippet, url, score)
	ORDER BY score DESC, title
	LIMIT greatest(least(coalesce(lim, 20), 200), 1)
$$;

-- An import of the national procedures database (a file uploaded, or the
-- scheduled sync): its progress while it runs, and what it refused.
CREATE TABLE import_runs (
	id		serial PRIMARY KEY,
	via		text NOT NULL CHECK (via IN ('import', 'sync')),
	filename	text NOT NULL DEFAULT '' CHECK (length(filename) <= 300),
	started_at	timestamptz NOT NULL DEFAULT now(),
	finished_at	timestamptz,
	started_by	integer REFERENCES users (id),
	state		text NOT NULL DEFAULT 'applying'
			CHECK (state IN ('applying', 'done', 'failed')),
	total		integer NOT NULL DEFAULT 0,	-- good rows to apply
	applied		integer NOT NULL DEFAULT 0,
	created		integer NOT NULL DEFAULT 0,
	updated		integer NOT NULL DEFAULT 0,
	unchanged	integer NOT NULL DEFAULT 0,
	withdrawn	integer NOT NULL DEFAULT 0,
	rejected	jsonb NOT NULL DEFAULT '[]',	-- [{line, reason, code}]
	error		text
);

-- Apply the rows the parser accepted (src/procedure.c), a batch per
-- transaction so that the progress shows while it runs; each row is
-- stored whole or refused whole (its own subtransaction).  Updated by
-- national code, never duplicated; procedures from the source that are
-- in neither rows nor the refused rows' codes become withdrawn, kept.
-- CALL it outside a transaction block.
CREATE PROCEDURE procedures_import_apply(run integer, rows jsonb)
    LANGUAGE plpgsql AS $$
DECLARE
	r		jsonb;
	n		integer := 0;
	made		integer := 0;
	changed		integer := 0;
	ins		boolean;
	via		text;
	who		integer;
BEGIN
	SELECT i.via, i.started_by INTO via, who FROM import_runs i WHERE i.id = run;
	FOR r IN SELECT value FROM jsonb_array_elements(rows) LOOP
		BEGIN
			INSERT INTO procedures AS p (code, name, field, level,
			    receiving_agency, deciding_agency, steps, dossier,
			    forms, processing_time, fees, legal_basis,
			    applicants, online_level, submission,
			    result_delivery, postal, changed_on, updated_via,
			    updated_by, in_source)
			SELECT x.code, x.name, x.field, x.level,
			    x.receiving_agency, x.deciding_agency, x.steps,
			    x.dossier, x.forms, x.processing_time, x.fees,
			    x.legal_basis, x.applicants, x.online_level,
			    x.submission, x.result_delivery, x.postal,
			    x.changed_on, via, who, true
			FROM jsonb_to_record(r) AS x (code text, name text,
			    field text, level text, receiving_agency text,
			    deciding_agency text, steps text, dossier text,
			    forms jsonb, processing_time text, fees text,
			    legal_basis text, applicants text,
			    online_level smallint, submission text,
			    result_delivery text, postal boolean,
			    changed_on date)
			ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name,
			    field = EXCLUDED.field, level = EXCLUDED.level,
			    receiving_agency = EXCLUDED.receiving_agency,
			    deciding_agency = EXCLUDED.deciding_agency,
			    steps = EXCLUDED.steps, dossier = EXCLUDED.dossier,
			    forms = EXCLUDED.forms,
			    processing_time = EXCLUDED.processing_time,
			    fees = EXCLUDED.fees,
			    legal_basis = EXCLUDED.legal_basis,
			    applicants = EXCLUDED.applicants,
			    online_level = EXCLUDED.online_level,
			    submission = EXCLUDED.submission,
			    result_delivery = EXCLUDED.result_delivery,
			    postal = EXCLUDED.postal,
			    changed_on = EXCLUDED.changed_on,
			    status = 'active', withdrawn_at = NULL,
			    updated_via = EXCLUDED.updated_via,
			    updated_by = EXCLUDED.updated_by,
			    in_source = true
			-- an identical row is not written again: no version, no
			-- index updates, and re-import is cheap
			WHERE (p.name, p.field, p.level, p.receiving_agency,
			    p.deciding_agency, p.steps, p.dossier, p.forms,
			    p.processing_time, p.fees, p.legal_basis,
			    p.applicants, p.online_level, p.submission,
			    p.result_delivery, p.postal, p.changed_on, p.status,
			    p.in_source) IS DISTINCT FROM
			    (EXCLUDED.name, EXCLUDED.field, EXCLUDED.level,
			    EXCLUDED.receiving_agency, EXCLUDED.deciding_agency,
			    EXCLUDED.steps, EXCLUDED.dossier, EXCLUDED.forms,
			    EXCLUDED.processing_time, EXCLUDED.fees,
			    EXCLUDED.legal_basis, EXCLUDED.applicants,
			    EXCLUDED.online_level, EXCLUDED.submission,
			    EXCLUDED.result_delivery, EXCLUDED.postal,
			    EXCLUDED.changed_on, 'active', true)
			RETURNING (xmax = 0) INTO ins;
			made := made + coalesce(ins::int, 0);
			changed := changed + coalesce((NOT ins)::int, 0);
		EXCEPTION WHEN others THEN
			UPDATE import_runs SET rejected = rejected ||
			    jsonb_build_object('line', r->'line',
				'reason', 'Không lưu được: ' || SQLERRM,
				'code', r->'code')
			    WHERE id = run;
		END;
		n := n + 1;
		IF n % 500 = 0 THEN
			UPDATE import_runs SET applied = n, created = made,
			    updated = changed, unchanged = n - made - changed
			    WHERE id = run;
			COMMIT;
		END IF;
	END LOOP;
	UPDATE import_runs SET applied = n, created = made, updated = changed,
	    unchanged = n - made - changed WHERE id = run;

	WITH gone AS (
		UPDATE procedures p SET status = 'withdrawn',
		    withdrawn_at = now(), updated_via = via, updated_by = who
		WHERE p.in_source AND p.status = 'active'
		  AND p.code NOT IN (
			SELECT e->>'code' FROM jsonb_array_elements(rows) e
			UNION ALL
			SELECT e->>'code' FROM import_runs i,
			    jsonb_array_elements(i.rejected) e
			WHERE i.id = run AND e ? 'code')
		RETURNING 1)
	UPDATE import_runs SET withdrawn = (SELECT count(*) FROM gone),
	    state = 'done', finished_at = now() WHERE id = run;
	COMMIT;
END $$;
