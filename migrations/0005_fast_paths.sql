-- Faster hot paths, measured by make bench (tests/bench/README.md):
-- tracking as a PL/pgSQL function keeps its plan per connection instead of
-- planning a four-table join per request; ticket_submit takes the shared
-- rate-limit row last (its lock lasts to commit) and refuses early when the
-- limit is already reached.

CREATE OR REPLACE FUNCTION ticket_track(p_code text, p_phone text)
RETURNS TABLE (code text, status text, title text, content text,
    created_at text, field text, agency text, answer text, answered_at text,
    event_at text, event_kind text, event_note text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN QUERY
	SELECT t.code, t.status, t.title, t.content, to_char(t.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS+07:00') AS created_at, f.name AS field, a.name AS agency, CASE WHEN t.status IN ('answered', 'closed') THEN t.answer END AS answer, to_char(t.answered_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS+07:00') AS answered_at, to_char(e.at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS+07:00') AS event_at, e.kind AS event_kind, e.note AS event_note FROM tickets t LEFT JOIN fields f ON f.id = t.field_id LEFT JOIN agencies a ON a.id = t.agency_id JOIN ticket_events e ON e.ticket_id = t.id AND e.public WHERE t.code = p_code AND t.phone = p_phone ORDER BY e.id;
END
$$;
GRANT EXECUTE ON FUNCTION ticket_track(text, text) TO app;

CREATE OR REPLACE FUNCTION ticket_submit(
	p_code		text,
	p_channel	text,
	p_name		text,
	p_phone		text,
	p_email		text,
	p_field_id	integer,
	p_title		text,
	p_content	text,
	p_submit_key	text,
	p_due_at	timestamptz,
	p_rate_key	text,
	p_rate_max	integer,
	p_rate_window	integer,
	p_actor_id	integer,
	p_dedupe_window	integer DEFAULT 600)
RETURNS TABLE (id bigint, code text, created boolean)
LANGUAGE plpgsql AS $$
DECLARE
	v_id		bigint;
	v_code		text;
	v_contact	bigint;
	v_hits		integer;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtextextended(p_submit_key, 1022));

	SELECT t.id, t.code INTO v_id, v_code FROM tickets t
	    WHERE t.submit_key = p_submit_key
	      AND t.created_at > now() - make_interval(secs => p_dedupe_window)
	    ORDER BY t.id LIMIT 1;
	IF FOUND THEN
		RETURN QUERY SELECT v_id, v_code, false;
		RETURN;
	END IF;

	-- Over the limit already: refuse before doing any work (a read, no lock).
	IF p_rate_key IS NOT NULL AND EXISTS (SELECT 1 FROM rate_limits r
	    WHERE r.key = p_rate_key AND r.hits >= p_rate_max
	      AND r.window_start = to_timestamp(floor(extract(epoch FROM now()) / p_rate_window) * p_rate_window)) THEN
		RAISE EXCEPTION 'rate_limited' USING ERRCODE = 'T1022';
	END IF;

	IF p_phone IS NOT NULL THEN
		INSERT INTO contacts AS c (name, phone, email) VALUES (p_name, p_phone, p_email)
		ON CONFLICT (phone) WHERE phone IS NOT NULL
		DO UPDATE SET name = EXCLUDED.name, email = coalesce(EXCLUDED.email, c.email)
		RETURNING c.id INTO v_contact;
	END IF;

	INSERT INTO tickets AS t (code, channel, contact_id, name, phone, email, field_id,
	    title, content, submit_key, due_at, created_by)
	VALUES (p_code, p_channel, v_contact, p_name, p_phone, p_email, p_field_id,
	    p_title, p_content, p_submit_key, p_due_at, p_actor_id)
	RETURNING t.id INTO v_id;

	INSERT INTO ticket_events (ticket_id, actor_id, actor_label, kind, public, note, payload)
	VALUES (v_id, p_actor_id,
	    CASE WHEN p_actor_id IS NULL THEN 'Người dân' ELSE 'Điện thoại viên' END,
	    'created', true,
	    'Tổng đài đã tiếp nhận thông tin.',
	    jsonb_build_object('channel', p_channel, 'field_id', p_field_id));

	-- The counter last: its row is shared by every submission from one
	-- address (all of them, behind a proxy), and a row lock is held until
	-- commit, so take it as late as possible.  A rejected submission still
	-- rolls back whole.
	IF p_rate_key IS NOT NULL THEN
		INSERT INTO rate_limits AS r (key, window_start, hits)
		VALUES (p_rate_key, to_timestamp(floor(extract(epoch FROM now()) / p_rate_window) * p_rate_window), 1)
		ON CONFLICT (key, window_start) DO UPDATE SET hits = r.hits + 1
		RETURNING r.hits INTO v_hits;
		IF v_hits > p_rate_max THEN
			RAISE EXCEPTION 'rate_limited' USING ERRCODE = 'T1022';
		END IF;
	END IF;

	RETURN QUERY SELECT v_id, p_code, true;
END
$$;

