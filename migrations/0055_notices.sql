-- Notices (issue 9): a ticket's news sent by itself.  The agency's focal
-- point is e-mailed when a ticket is forwarded to it and reminded before
-- it falls due; the citizen is told when the ticket is answered, by the
-- channel they wrote on, else by e-mail, else by SMS.  Each notice is an
-- outbound message (message_send(), kind 'notice'), so its delivery is
-- stored, retried and shown like any other.
--
-- Why a trigger on ticket_events and not the action statements: every way
-- a ticket is forwarded or answered writes its event (console, agency
-- pages, any later path), and the event is written in the same statement
-- as the change, once.  A trigger on it sends the notice in that same
-- transaction: no forward without its notice, no notice without its
-- forward, and no path that forgets.
--
-- Never twice: ticket_notices holds one row per (ticket, reason, key),
-- the key being the event's id (forward, answer) or the agency and due
-- date (reminder).  A notice is queued only by the statement that made
-- that row, so a reminder run by two workers at once, or an action's
-- request repeated after a lost connection, queues it once.
--
-- The public address (PUBLIC_URL) reaches SQL as the session setting
-- tongdai.public_url, which the app puts in the options of every
-- connection it opens (app.c); notice_url() reads it.

-- Administrative changes of channel settings and resends of messages are
-- logged like the others.
ALTER TABLE admin_events DROP CONSTRAINT admin_events_target_kind_check;
ALTER TABLE admin_events ADD CONSTRAINT admin_events_target_kind_check
    CHECK (target_kind IN ('user', 'agency', 'field', 'calendar',
    'open311_client', 'channel', 'message'));

CREATE TABLE ticket_notices (
	ticket_id	bigint NOT NULL REFERENCES tickets (id),
	reason		text NOT NULL CHECK (reason IN ('forward', 'reminder', 'answer')),
	key		text NOT NULL CHECK (length(key) <= 100),
	-- NULL: nothing could be sent (said in the ticket's history).
	message_id	bigint REFERENCES messages (id),
	at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (ticket_id, reason, key)
);
-- Kept: only the message it queued is written in afterwards.
REVOKE UPDATE, DELETE, TRUNCATE ON ticket_notices FROM app;
GRANT SELECT, INSERT ON ticket_notices TO app;
GRANT UPDATE (message_id) ON ticket_notices TO app;

-- A channel's setting (channel_settings), or p_default when unset or blank.
CREATE FUNCTION notice_setting(p_channel text, p_name text, p_default text)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT NULLIF(s.value, '') FROM channel_settings s
	    WHERE s.channel = p_channel AND s.name = p_name), p_default)
$$;

-- The public address followed by path.
CREATE FUNCTION notice_url(p_path text)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT rtrim(coalesce(NULLIF(current_setting('tongdai.public_url', true), ''),
	    'http://127.0.0.1:8888'), '/') || p_path
$$;

-- {name} placeholders of a template replaced by the values of p_vars.
CREATE FUNCTION notice_fill(p_template text, p_vars jsonb)
RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	v_out	text := p_template;
	v_key	text;
	v_val	text;
BEGIN
	FOR v_key, v_val IN SELECT * FROM jsonb_each_text(p_vars) LOOP
		v_out := replace(v_out, '{' || v_key || '}', coalesce(v_val, ''));
	END LOOP;
	RETURN v_out;
END
$$;

-- The agency's e-mail about ticket p_ticket: forwarded (p_reminder false)
-- or falling due.  Queued once per p_key; the message's id, or NULL if it
-- was already queued or the agency has no e-mail.
CREATE FUNCTION notice_agency(p_ticket bigint, p_reminder boolean, p_key text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	t		record;
	v_msg		bigint;
	v_reason	text := CASE WHEN p_reminder THEN 'reminder' ELSE 'forward' END;
	v_subject	text;
	v_body		text;
BEGIN
	SELECT k.id, k.code, k.title, k.content, a.email, a.name AS agency,
	    to_char(k.due_at, 'HH24:MI DD/MM/YYYY') AS due
	    INTO t FROM tickets k JOIN agencies a ON a.id = k.agency_id
	    WHERE k.id = p_ticket;
	IF NOT FOUND OR t.email IS NULL OR t.email = '' THEN
		RETURN NULL;
	END IF;
	INSERT INTO ticket_notices (ticket_id, reason, key)
	    VALUES (p_ticket, v_reason, p_key) ON CONFLICT DO NOTHING;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;

	IF p_reminder THEN
		v_subject := format('[%s] Nhắc hạn xử lý phiếu %s',
		    notice_setting('notice', 'province_name', 'Tổng đài 1022'), t.code);
		v_body := format(E'Kính gửi %s,\n\nPhiếu %s "%s" sắp đến hạn xử lý '
		    'lúc %s mà chưa có trả lời của cơ quan.\n\nXem và trả lời phiếu: %s\n',
		    t.agency, t.code, t.title, coalesce(t.due, '(chưa đặt)'),
		    notice_url('/co-quan/phieu/' || t.id));
	ELSE
		v_subject := format('[%s] Phiếu %s được chuyển đến %s',
		    notice_setting('notice', 'province_name', 'Tổng đài 1022'), t.code,
		    t.agency);
		v_body := format(E'Kính gửi %s,\n\nTổng đài 1022 đã chuyển phiếu %s '
		    'đến quý cơ quan.\n\nTiêu đề: %s\nHạn xử lý: %s\n\nNội dung:\n%s\n\n'
		    'Xem và trả lời phiếu: %s\n',
		    t.agency, t.code, t.title, coalesce(t.due, '(chưa đặt)'),
		    left(t.content, 2000), notice_url('/co-quan/phieu/' || t.id));
	END IF;
	v_msg := message_send('email', t.email, 'notice', v_subject, v_body,
	    NULL, p_ticket, NULL,
	    jsonb_build_object('notice', v_reason, 'ticket_code', t.code));
	UPDATE ticket_notices SET message_id = v_msg
	    WHERE ticket_id = p_ticket AND reason = v_reason AND key = p_key;
	RETURN v_msg;
END
$$;

-- The citizen told that ticket p_ticket is answered (event p_event, by
-- p_actor): by the channel of the conversation that became the ticket,
-- else e-mail, else SMS when the SMS gateway is set up, else nothing,
-- which the ticket's history then says, as the answer's consequence.
CREATE FUNCTION notice_citizen(p_ticket bigint, p_event bigint,
    p_actor integer, p_actor_label text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	t		record;
	c		record;
	v_msg		bigint;
	v_text		text;
	v_link		text;
BEGIN
	SELECT k.id, k.code, k.title, k.email, k.phone INTO t FROM tickets k
	    WHERE k.id = p_ticket;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	INSERT INTO ticket_notices (ticket_id, reason, key)
	    VALUES (p_ticket, 'answer', p_event::text) ON CONFLICT DO NOTHING;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;

	v_link := notice_url('/tra-cuu?code=' || t.code);
	v_text := notice_fill(notice_setting('notice', 'citizen_template',
	    'Phiếu {code} của bạn đã được trả lời. Xem câu trả lời tại {link}'),
	    jsonb_build_object('code', t.code, 'link', v_link, 'title', t.title,
	    'province', notice_setting('notice', 'province_name', 'Tổng đài 1022')));

	SELECT v.id, v.channel, v.thread INTO c FROM conversations v
	    WHERE v.ticket_id = p_ticket ORDER BY v.last_message_at DESC LIMIT 1;
	IF FOUND THEN
		v_msg := message_send(c.channel, c.thread, 'notice',
		    'Phiếu ' || t.code || ' đã được trả lời', v_text, c.id,
		    p_ticket, NULL, jsonb_build_object('notice', 'answer'));
	ELSIF t.email IS NOT NULL AND t.email <> '' THEN
		v_msg := message_send('email', t.email, 'notice',
		    'Phiếu ' || t.code || ' đã được trả lời', v_text, NULL,
		    p_ticket, NULL, jsonb_build_object('notice', 'answer'));
	ELSIF t.phone IS NOT NULL AND t.phone <> ''
	    AND notice_setting('sms', 'url', NULL) IS NOT NULL THEN
		v_msg := message_send('sms', t.phone, 'notice', NULL, v_text, NULL,
		    p_ticket, NULL, jsonb_build_object('notice', 'answer'));
	ELSE
		INSERT INTO ticket_events (ticket_id, actor_id, actor_label, kind,
		    public, note)
		VALUES (p_ticket, p_actor, p_actor_label, 'notice', false,
		    'Không gửi được thông báo trả lời cho người dân: phiếu không '
		    'có kênh liên lạc, e-mail, hay số điện thoại nhận được SMS.');
		RETURN NULL;
	END IF;
	UPDATE ticket_notices SET message_id = v_msg
	    WHERE ticket_id = p_ticket AND reason = 'answer' AND key = p_event::text;
	RETURN v_msg;
END
$$;

CREATE FUNCTION ticket_events_notice() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.kind = 'forward' THEN
		PERFORM notice_agency(NEW.ticket_id, false, NEW.id::text);
	ELSIF NEW.kind = 'answer' THEN
		PERFORM notice_citizen(NEW.ticket_id, NEW.id, NEW.actor_id,
		    NEW.actor_label);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER ticket_events_notice AFTER INSERT ON ticket_events
    FOR EACH ROW WHEN (NEW.kind IN ('forward', 'answer'))
    EXECUTE FUNCTION ticket_events_notice();

-- When to remind about a ticket due at p_due: p_hours before it, moved
-- back to the same hour of the working day before when that falls on a
-- weekend or a holiday (calendar_days, as deadlines count): by default
-- the agency hears a working day ahead, not on a Sunday.
CREATE FUNCTION notice_remind_at(p_due timestamptz, p_hours integer)
RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_at	timestamptz := p_due - make_interval(hours => p_hours);
	v_day	date;
	i	integer;
BEGIN
	FOR i IN 1..60 LOOP
		v_day := v_at::date;		-- in the center's zone
		EXIT WHEN EXISTS (SELECT 1 FROM calendar_days c
		    WHERE c.day = v_day AND c.kind = 'workday');
		EXIT WHEN extract(isodow FROM v_day) < 6 AND NOT EXISTS (
		    SELECT 1 FROM calendar_days c
		    WHERE c.day = v_day AND c.kind = 'holiday');
		v_at := v_at - interval '1 day';
	END LOOP;
	RETURN v_at;
END
$$;

-- Reminders due now: tickets still with their agency whose reminder time
-- (notice_remind_at, notice.reminder_hours: default 24) has come.  One per ticket,
-- agency and due date however often and wherever it runs (the app's
-- timer, notice.c, on every worker).  How many were queued.
CREATE FUNCTION notice_reminders()
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_hours		integer;
	v_n		integer := 0;
	t		record;
BEGIN
	v_hours := CASE WHEN notice_setting('notice', 'reminder_hours', '24') ~ '^[0-9]{1,4}$'
	    THEN notice_setting('notice', 'reminder_hours', '24')::integer ELSE 24 END;
	IF v_hours = 0 THEN
		RETURN 0;		-- reminders turned off
	END IF;
	FOR t IN SELECT k.id, k.agency_id,
	    to_char(k.due_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM') AS due
	    FROM tickets k JOIN agencies a ON a.id = k.agency_id
	    WHERE k.status = 'forwarded' AND k.due_at > now()
	      -- A cheap bound first: no reminder moves back two months.
	      AND k.due_at <= now() + make_interval(hours => v_hours, days => 60)
	      AND notice_remind_at(k.due_at, v_hours) <= now()
	      AND a.email IS NOT NULL AND a.email <> ''
	      AND NOT EXISTS (SELECT 1 FROM ticket_notices n
	          WHERE n.ticket_id = k.id AND n.reason = 'reminder'
	            AND n.key = k.agency_id || '@' || to_char(k.due_at,
	                'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'))
	    ORDER BY k.due_at LIMIT 500
	LOOP
		IF notice_agency(t.id, true, t.agency_id || '@' || t.due) IS NOT NULL THEN
			v_n := v_n + 1;
		END IF;
	END LOOP;
	RETURN v_n;
END
$$;
