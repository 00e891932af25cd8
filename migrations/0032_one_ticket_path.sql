-- One way to create a ticket, whatever the channel.  ticket_submit() also
-- takes the call a ticket comes from, who its first event names and what
-- it says, and whether the name is the person's own: a voicemail is made
-- by the same function (contact linked by the caller's number without
-- renaming it, duplicates suppressed, the first event written) as a web
-- form, an Open311 request or an operator's phone ticket.
DROP FUNCTION ticket_submit(text, text, text, text, text, integer, text, text,
    text, timestamptz, text, integer, integer, integer, integer);

CREATE FUNCTION ticket_submit(
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
	p_dedupe_window	integer DEFAULT 600,
	p_call_uuid	uuid DEFAULT NULL,
	p_actor_label	text DEFAULT NULL,
	p_created_note	text DEFAULT NULL,
	p_name_known	boolean DEFAULT true)
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
		INSERT INTO contacts AS c (name, phone, email)
		VALUES (CASE WHEN p_name_known THEN p_name END, p_phone, p_email)
		ON CONFLICT (phone) WHERE phone IS NOT NULL
		DO UPDATE SET name = coalesce(EXCLUDED.name, c.name),
		    email = coalesce(EXCLUDED.email, c.email)
		RETURNING c.id INTO v_contact;
	END IF;

	INSERT INTO tickets AS t (code, channel, contact_id, name, phone, email, field_id,
	    title, content, submit_key, due_at, created_by, call_uuid)
	VALUES (p_code, p_channel, v_contact, p_name, p_phone, p_email, p_field_id,
	    p_title, p_content, p_submit_key, p_due_at, p_actor_id, p_call_uuid)
	RETURNING t.id INTO v_id;

	INSERT INTO ticket_events (ticket_id, actor_id, actor_label, kind, public, note, payload)
	VALUES (v_id, p_actor_id,
	    coalesce(p_actor_label,
	        CASE WHEN p_actor_id IS NULL THEN 'Người dân' ELSE 'Điện thoại viên' END),
	    'created', true,
	    coalesce(p_created_note, 'Tổng đài đã tiếp nhận thông tin.'),
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

GRANT EXECUTE ON FUNCTION ticket_submit(text, text, text, text, text, integer,
    text, text, text, timestamptz, text, integer, integer, integer, integer, uuid,
    text, text, boolean) TO app;
