-- Answer suggestions and the field/agency classifier (issue 10).
--
-- What an operator types is matched, without diacritics, against the
-- earlier published answers: full text (an OR of the words, the title
-- weighted above the body) for sentences, trigram word similarity for a
-- few words with a typo.  knowledge_suggest() is what the console asks;
-- today it returns the published answers alone, and the procedures and
-- policies catalog joins it there with the same columns.
--
-- The classifier is a multinomial naive Bayes over unaccented word
-- unigrams and bigrams, its counts kept in suggest_counts by a trigger
-- whenever an operator sets or changes a ticket's field or agency (or
-- types a ticket with them), so it learns as operators classify.  No
-- external service: it is scored in one statement.

-- A query's tsvector side, written once so the index and the statement
-- agree on the expression.
CREATE FUNCTION suggest_doc(title text, content text, answer text)
    RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT to_tsvector('simple'::regconfig,
	f_unaccent(coalesce(title, '') || ' ' || coalesce(content, '') || ' ' ||
	coalesce(answer, ''))) $$;

CREATE INDEX tickets_published_fts ON tickets
    USING gin (suggest_doc(title, content, answer)) WHERE published;

-- Words that say nothing about what is asked ("cho tôi hỏi", "xin hỏi"):
-- left out of the search's OR so that they do not pull every answer in.
CREATE FUNCTION suggest_stopwords() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ARRAY['cho', 'toi', 'hoi', 'xin', 'la', 'co', 'khong',
	'gi', 'the', 'nao', 'duoc', 'va', 'cua', 'em', 'anh', 'chi', 'oi',
	'a', 'o', 'minh', 'can', 'de', 'thi', 'ma', 'nhu', 'voi', 'tai', 've',
	'tu', 'den', 'nay', 'do', 'vay', 'nhe', 'a', 'ak', 'vui', 'long',
	'giup', 'dum', 'ong', 'ba', 'con', 'chau', 'alo', 'tong', 'dai',
	'muon', 'biet', 'nhieu', 'phai', 'lam', 'khi', 'neu', 'hay',
	'roi', 'chua', 'bao', 'lau', 'cac', 'nhung', 'mot', 'trong', 'ra',
	'len', 'di', 'vao'] $$;

-- The words of a question, unaccented, as an OR query; NULL when none is
-- left.  At most 24 words: a pasted letter must not become a huge query.
-- ("sao" is filler in "làm sao" but the point of "bản sao": it stays.)
CREATE FUNCTION suggest_query(q text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT to_tsquery('simple'::regconfig, string_agg(w, ' | '))
	FROM (SELECT DISTINCT w
	    FROM regexp_split_to_table(f_unaccent(left(q, 1000)), '[^a-z0-9]+') AS w
	    WHERE length(w) >= 2 AND w <> ALL (suggest_stopwords())
	    LIMIT 24) s $$;

-- The earlier published answers that best match q, best first.  The
-- citizen's own name is blanked here as on /hoi-dap; the caller masks
-- phones, e-mails and ID numbers (mask_personal()) before showing them.
CREATE FUNCTION answer_suggest(q text, lim int)
    RETURNS TABLE (kind text, ref text, title text, snippet text, url text,
	score real)
    LANGUAGE plpgsql STABLE
    SET pg_trgm.word_similarity_threshold = 0.5
    AS $$
DECLARE
	tq	tsquery := suggest_query(q);
	qn	text := f_unaccent(left(q, 200));
BEGIN
	IF qn IS NULL OR length(btrim(qn)) < 2 THEN
		RETURN;
	END IF;
	RETURN QUERY
	WITH hits AS (
		SELECT t.id FROM tickets t
		WHERE t.published AND tq IS NOT NULL
		    AND suggest_doc(t.title, t.content, t.answer) @@ tq
		UNION
		-- A few words, perhaps mistyped; a sentence has enough right
		-- words for the full text, and its many trigrams would make
		-- this side slow.
		SELECT t.id FROM tickets t
		WHERE t.published AND length(qn) <= 60
		    AND qn <% f_unaccent(t.title || ' ' || t.content || ' ' ||
		    coalesce(t.answer, ''))
	)
	SELECT 'answer'::text, t.code,
	    CASE WHEN length(t.name) >= 4 THEN replace(t.title, t.name, '***')
		ELSE t.title END,
	    CASE WHEN length(t.name) >= 4 THEN replace(t.answer, t.name, '***')
		ELSE t.answer END,
	    '/hoi-dap/' || t.code,
	    (coalesce(ts_rank(
		setweight(to_tsvector('simple'::regconfig, f_unaccent(t.title)), 'A') ||
		setweight(suggest_doc(NULL, t.content, t.answer), 'D'),
		tq, 1), 0) * 4 +
	    word_similarity(qn, f_unaccent(t.title)))::real AS score
	FROM hits h JOIN tickets t ON t.id = h.id
	WHERE t.status IN ('answered', 'closed') AND t.answer IS NOT NULL
	ORDER BY score DESC, t.id DESC
	LIMIT least(greatest(coalesce(lim, 5), 1), 20);
END
$$;

-- What the console asks.  The catalog's catalog_search(q, lim) is unioned
-- in here when it lands; the kinds tell the sources apart.
CREATE FUNCTION knowledge_suggest(q text, lim int)
    RETURNS TABLE (kind text, ref text, title text, snippet text, url text,
	score real)
    LANGUAGE sql STABLE
    AS $$ SELECT * FROM answer_suggest(q, lim) s
	ORDER BY s.score DESC LIMIT least(greatest(coalesce(lim, 5), 1), 20) $$;

-- ---- The classifier. ------------------------------------------------

-- The tokens of a text: unaccented words and each pair of neighbours.
-- At most the first 4000 characters: the question is at the start.
CREATE FUNCTION suggest_tokens(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$
	WITH w AS (
		SELECT s.word, s.ord
		FROM regexp_split_to_table(f_unaccent(left(t, 4000)),
		    '[^a-z0-9]+') WITH ORDINALITY AS s (word, ord)
		WHERE s.word <> ''
	)
	SELECT coalesce(array_agg(tok), '{}') FROM (
		SELECT word AS tok FROM w
		UNION ALL
		SELECT a.word || ' ' || b.word FROM w a JOIN w b ON b.ord = a.ord + 1
	) x
    $$;

-- kind: 'f' a field, 'a' an agency.  n: how often the token was seen in
-- the tickets classified there.
CREATE TABLE suggest_counts (
	kind		"char" NOT NULL CHECK (kind IN ('f', 'a')),
	class_id	integer NOT NULL,
	token		text NOT NULL,
	n		integer NOT NULL,
	PRIMARY KEY (kind, class_id, token)
);

CREATE INDEX suggest_counts_token ON suggest_counts (token);

-- Per class: the tickets and tokens counted.
CREATE TABLE suggest_classes (
	kind		"char" NOT NULL CHECK (kind IN ('f', 'a')),
	class_id	integer NOT NULL,
	docs		integer NOT NULL,
	tokens		bigint NOT NULL,
	PRIMARY KEY (kind, class_id)
);

-- What each ticket contributed, so that a change takes the old
-- contribution out before the new one goes in.
CREATE TABLE suggest_trained (
	ticket_id	bigint PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
	field_id	integer,
	agency_id	integer,
	tokens		text[] NOT NULL
);

-- Add (sign 1) or take out (sign -1) one ticket's tokens for a class.
CREATE FUNCTION suggest_count(p_kind "char", p_class integer, p_tokens text[],
    p_sign integer) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
	IF p_class IS NULL OR cardinality(p_tokens) = 0 THEN
		RETURN;
	END IF;
	INSERT INTO suggest_counts AS c (kind, class_id, token, n)
	SELECT p_kind, p_class, tok, p_sign * count(*)
	FROM unnest(p_tokens) AS tok GROUP BY tok
	ORDER BY tok		-- one lock order: no deadlock between two
	ON CONFLICT (kind, class_id, token) DO UPDATE SET n = c.n + EXCLUDED.n;
	DELETE FROM suggest_counts
	WHERE kind = p_kind AND class_id = p_class AND n <= 0
	    AND p_sign < 0 AND token = ANY (p_tokens);
	INSERT INTO suggest_classes AS c (kind, class_id, docs, tokens)
	VALUES (p_kind, p_class, p_sign, p_sign * cardinality(p_tokens))
	ON CONFLICT (kind, class_id) DO UPDATE
	SET docs = c.docs + EXCLUDED.docs, tokens = c.tokens + EXCLUDED.tokens;
END
$$;

-- A ticket's field or agency set by staff: count it.  A citizen's own
-- choice on the portal is not learnt from until an operator classifies
-- (an UPDATE of the field or agency), so the model learns the center's
-- judgement, not guesses.
CREATE FUNCTION suggest_learn() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
	old_row	suggest_trained%ROWTYPE;
	toks	text[];
BEGIN
	IF TG_OP = 'INSERT' AND NEW.created_by IS NULL THEN
		RETURN NULL;
	END IF;
	IF NEW.field_id IS NULL AND NEW.agency_id IS NULL THEN
		RETURN NULL;
	END IF;
	DELETE FROM suggest_trained WHERE ticket_id = NEW.id RETURNING * INTO old_row;
	IF FOUND THEN
		PERFORM suggest_count('f', old_row.field_id, old_row.tokens, -1);
		PERFORM suggest_count('a', old_row.agency_id, old_row.tokens, -1);
	END IF;
	toks := suggest_tokens(NEW.title || ' ' || NEW.content);
	PERFORM suggest_count('f', NEW.field_id, toks, 1);
	PERFORM suggest_count('a', NEW.agency_id, toks, 1);
	INSERT INTO suggest_trained (ticket_id, field_id, agency_id, tokens)
	VALUES (NEW.id, NEW.field_id, NEW.agency_id, toks);
	RETURN NULL;
END
$$;

CREATE TRIGGER tickets_suggest_learn_insert AFTER INSERT ON tickets
    FOR EACH ROW EXECUTE FUNCTION suggest_learn();
CREATE TRIGGER tickets_suggest_learn_update AFTER UPDATE OF field_id, agency_id ON tickets
    FOR EACH ROW
    WHEN (OLD.field_id IS DISTINCT FROM NEW.field_id
	OR OLD.agency_id IS DISTINCT FROM NEW.agency_id)
    EXECUTE FUNCTION suggest_learn();

-- The classes that best fit a text, best first, lim of each kind; score
-- is the model's probability.  Laplace smoothing with alpha 0.1 over an
-- assumed vocabulary of 50,000 tokens (counting the real vocabulary on
-- every keystroke would cost more than it changes the ranking).  Tokens
-- never seen in training are left out.
CREATE FUNCTION suggest_classify(q text, lim int)
    RETURNS TABLE (kind text, id integer, code text, name text, score real)
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	-- plpgsql keeps the plan per connection: a keystroke pays no
	-- planning, and the token lookups go through suggest_counts_token.
	v_toks	text[] := suggest_tokens(left(q, 4000));
	v_seen	text[];
	v_n	float8;
BEGIN
	SELECT array_agg(DISTINCT s.token) INTO v_seen
	FROM suggest_counts s WHERE s.token = ANY (v_toks);
	SELECT count(*) INTO v_n FROM unnest(v_toks) AS t WHERE t = ANY (v_seen);
	RETURN QUERY
	WITH toks AS (
		SELECT t AS tok, count(*) AS k
		FROM unnest(v_seen) AS u (t0) JOIN unnest(v_toks) AS t ON t = u.t0
		GROUP BY t
	), classes AS (
		SELECT c.kind, c.class_id, c.docs, c.tokens,
		    sum(c.docs) OVER (PARTITION BY c.kind) AS all_docs
		FROM suggest_classes c WHERE c.docs > 0
	), hits AS (
		SELECT s.kind, s.class_id,
		    sum(toks.k * ln((s.n + 0.1::float8) / 0.1)) AS gain
		FROM suggest_counts s JOIN toks ON toks.tok = s.token
		WHERE s.token = ANY (v_seen)
		GROUP BY s.kind, s.class_id
	), scored AS (
		SELECT c.kind, c.class_id,
		    ln(c.docs::float8 / c.all_docs) +
		    v_n * ln(0.1::float8 / (c.tokens + 0.1 * 50000)) +
		    coalesce(h.gain, 0) AS lp
		FROM classes c LEFT JOIN hits h
		    ON h.kind = c.kind AND h.class_id = c.class_id
	), shifted AS (
		SELECT s.kind, s.class_id, s.lp,
		    exp(greatest(s.lp - max(s.lp) OVER (PARTITION BY s.kind),
			-700)) AS e
		FROM scored s
	), prob AS (
		SELECT s.kind, s.class_id,
		    s.e / sum(s.e) OVER (PARTITION BY s.kind) AS p,
		    row_number() OVER (PARTITION BY s.kind ORDER BY s.lp DESC,
			s.class_id) AS r
		FROM shifted s
	)
	SELECT CASE p.kind WHEN 'f' THEN 'field' ELSE 'agency' END,
	    p.class_id, coalesce(f.code, a.code), coalesce(f.name, a.name),
	    (CASE WHEN p.p < 1e-20 THEN 0 ELSE p.p END)::real
	FROM prob p
	LEFT JOIN fields f ON p.kind = 'f' AND f.id = p.class_id
	LEFT JOIN agencies a ON p.kind = 'a' AND a.id = p.class_id
	WHERE p.r <= least(greatest(coalesce(lim, 3), 1), 10)
	ORDER BY p.kind DESC, p.r;
END
$$;

-- Which suggested article an operator used on a ticket: a row of its
-- history, written after the ticket exists (the phone-ticket form) or
-- with the answer.  kind and ref are checked against what the suggestion
-- path can return; nothing is written for an unknown one.
CREATE FUNCTION suggest_used(p_ticket bigint, p_actor integer, p_kind text,
    p_ref text) RETURNS bigint
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

-- Tickets classified before this migration teach the model too.
INSERT INTO suggest_trained (ticket_id, field_id, agency_id, tokens)
SELECT id, field_id, agency_id, suggest_tokens(title || ' ' || content)
FROM tickets
WHERE (field_id IS NOT NULL OR agency_id IS NOT NULL)
    AND (created_by IS NOT NULL OR status <> 'new');
INSERT INTO suggest_counts (kind, class_id, token, n)
SELECT 'f', field_id, tok, count(*) FROM suggest_trained, unnest(tokens) tok
WHERE field_id IS NOT NULL GROUP BY field_id, tok
UNION ALL
SELECT 'a', agency_id, tok, count(*) FROM suggest_trained, unnest(tokens) tok
WHERE agency_id IS NOT NULL GROUP BY agency_id, tok;
INSERT INTO suggest_classes (kind, class_id, docs, tokens)
SELECT 'f', field_id, count(*), sum(cardinality(tokens)) FROM suggest_trained
WHERE field_id IS NOT NULL GROUP BY field_id
UNION ALL
SELECT 'a', agency_id, count(*), sum(cardinality(tokens)) FROM suggest_trained
WHERE agency_id IS NOT NULL GROUP BY agency_id;

GRANT SELECT, INSERT, UPDATE, DELETE ON suggest_counts, suggest_classes,
    suggest_trained TO app;
