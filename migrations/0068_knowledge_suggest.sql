-- The operators' suggestions reach the whole knowledge of the center
-- (issue 10): the procedures catalog and the live policies, notices and
-- FAQ (0062) beside the earlier published answers (0064).
--
-- catalog_search() is the portal's search: every word of a short query,
-- or one of its trigrams.  An operator types a sentence ("cho tôi hỏi làm
-- giấy phép xây dựng nhà ở nông thôn cần những gì"), which matches no
-- procedure with all its words; catalog_suggest() adds the suggestions'
-- own full text (an OR of the meaningful words, suggest_query()) over the
-- procedures' index and the articles', the name above the body.
-- suggest_doc() is inlined into the index tickets_published_fts (0064):
-- a restore (pg_restore runs with an empty search_path) must find the
-- function it calls, so its name is qualified.
CREATE OR REPLACE FUNCTION suggest_doc(title text, content text, answer text)
    RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT to_tsvector('simple'::regconfig,
	public.f_unaccent(coalesce(title, '') || ' ' || coalesce(content, '') ||
	' ' || coalesce(answer, ''))) $$;

CREATE INDEX articles_fts ON articles USING gin (
    (setweight(to_tsvector('simple', f_unaccent(title)), 'A') ||
     setweight(to_tsvector('simple', f_unaccent(body)), 'B')));

CREATE FUNCTION catalog_suggest(q text, lim int)
    RETURNS TABLE (kind text, ref text, title text, snippet text, url text,
	score real)
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	tq	tsquery := suggest_query(q);
	n	int := least(greatest(coalesce(lim, 5), 1), 20);
BEGIN
	IF tq IS NULL THEN
		RETURN;
	END IF;
	RETURN QUERY
	SELECT DISTINCT ON (s.kind, s.ref) s.kind, s.ref, s.title, s.snippet,
	    s.url, s.score
	FROM (
	    SELECT c.kind, c.ref, c.title, c.snippet, c.url, c.score
	    FROM catalog_search(q, n) c
	    WHERE length(q) <= 60
	    UNION ALL
	    SELECT 'procedure'::text, p.code, p.name,
		left(regexp_replace(p.field || ' · ' || p.receiving_agency ||
		    '. ' || p.steps, '\s+', ' ', 'g'), 240),
		'/thu-tuc/' || p.code,
		(ts_rank(setweight(to_tsvector('simple', f_unaccent(p.name)), 'A') ||
		    setweight(to_tsvector('simple',
		    f_unaccent(procedure_body(p))), 'B'), tq, 1) * 4)::real
	    FROM procedures p
	    WHERE p.status = 'active' AND
		(setweight(to_tsvector('simple', f_unaccent(p.name)), 'A') ||
		setweight(to_tsvector('simple', f_unaccent(procedure_body(p))),
		'B')) @@ tq
	    UNION ALL
	    SELECT a.kind, a.slug, a.title,
		left(regexp_replace(a.body, '\s+', ' ', 'g'), 240),
		'/thong-tin/' || a.slug,
		(ts_rank(setweight(to_tsvector('simple', f_unaccent(a.title)), 'A') ||
		    setweight(to_tsvector('simple', f_unaccent(a.body)), 'B'),
		    tq, 1) * 4)::real
	    FROM articles a
	    WHERE article_is_live(a) AND
		(setweight(to_tsvector('simple', f_unaccent(a.title)), 'A') ||
		setweight(to_tsvector('simple', f_unaccent(a.body)), 'B')) @@ tq
	) s
	ORDER BY s.kind, s.ref, s.score DESC;
END
$$;

-- What the console asks: the best of each source first (the best
-- procedure or policy and the best earlier answer side by side, as their
-- scores are on different scales), then the next of each, and so on.
CREATE OR REPLACE FUNCTION knowledge_suggest(q text, lim int)
    RETURNS TABLE (kind text, ref text, title text, snippet text, url text,
	score real)
    LANGUAGE sql STABLE
    AS $$
	SELECT s.kind, s.ref, s.title, s.snippet, s.url, s.score
	FROM (
	    SELECT a.*, row_number() OVER (ORDER BY a.score DESC) AS rn, 0 AS src
	    FROM answer_suggest(q, lim) a
	    UNION ALL
	    SELECT c.*, row_number() OVER (ORDER BY c.score DESC, c.title), 1
	    FROM catalog_suggest(q, lim) c
	) s
	ORDER BY s.rn, s.src
	LIMIT least(greatest(coalesce(lim, 5), 1), 20) $$;

-- Which suggested article an operator used on a ticket, now of every
-- kind the suggestions return; nothing is written for an unknown one, a
-- withdrawn procedure or a lapsed notice.
CREATE OR REPLACE FUNCTION suggest_used(p_ticket bigint, p_actor integer,
    p_kind text, p_ref text) RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE
	v_title	text;
	v_url	text;
	v_id	bigint;
BEGIN
	IF p_kind = 'answer' THEN
		SELECT t.title, '/hoi-dap/' || t.code INTO v_title, v_url
		FROM tickets t
		WHERE t.code = p_ref AND t.published AND t.status IN ('answered', 'closed');
	ELSIF p_kind = 'procedure' THEN
		SELECT p.name, '/thu-tuc/' || p.code INTO v_title, v_url
		FROM procedures p
		WHERE p.code = p_ref AND p.status = 'active';
	ELSIF p_kind IN ('chinh-sach', 'thong-bao', 'hoi-dap') THEN
		SELECT a.title, '/thong-tin/' || a.slug INTO v_title, v_url
		FROM articles a
		WHERE a.slug = p_ref AND a.kind = p_kind AND article_is_live(a);
	END IF;
	IF v_title IS NULL THEN
		RETURN NULL;
	END IF;
	INSERT INTO ticket_events (ticket_id, actor_id, actor_label, kind, note, payload)
	SELECT p_ticket, p_actor, coalesce(u.full_name, 'Điện thoại viên'), 'suggestion',
	    'Dùng câu trả lời gợi ý: ' || v_title,
	    jsonb_build_object('source_kind', p_kind, 'ref', p_ref, 'title', v_title,
		'url', v_url)
	FROM (SELECT 1) one LEFT JOIN users u ON u.id = p_actor
	RETURNING id INTO v_id;
	RETURN v_id;
END
$$;
