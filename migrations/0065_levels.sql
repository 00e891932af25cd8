-- Ticket types and levels that mean something (issue 11).
--
-- Types (loại) are a fixed list, a CHECK and not a table: hỏi, phản ánh,
-- kiến nghị are the words of the province's decision (seed 001 Chương I),
-- the statistics a province files count exactly these, and a type has no
-- behaviour of its own an administrator could configure.  Their Vietnamese
-- names live in src/workflow.c beside the statuses.
--
-- Levels (cấp độ) are rows an administrator edits (/quan-tri/cap-do): each
-- says who handles a ticket of that level, its default deadline in working
-- days (the due date counts from when the contact was received), whether
-- the center may answer it itself or must forward it, and whether
-- supervisors are alerted.  A level in use is never deleted (the foreign
-- key refuses it); it can be deactivated.
--
-- Also: when the contact was received (a call taken on paper during an
-- outage is typed in later), why a ticket was closed without an answer and
-- the guidance the citizen is given instead, the first-login password
-- change, and the communes of the default province under their district.

CREATE TABLE ticket_levels (
	id		smallint PRIMARY KEY CHECK (id BETWEEN 1 AND 99),
	name		text NOT NULL UNIQUE CHECK (length(name) BETWEEN 2 AND 100),
	description	text NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
	handler		text NOT NULL CHECK (handler IN ('center', 'agency')),
	deadline_days	integer NOT NULL CHECK (deadline_days BETWEEN 1 AND 60),
	must_forward	boolean NOT NULL DEFAULT false,
	alert_supervisor boolean NOT NULL DEFAULT false,
	active		boolean NOT NULL DEFAULT true
);
GRANT SELECT, INSERT, UPDATE, DELETE ON ticket_levels TO app;

-- Seed 001 Chương III.I.2: the operator answers what the center can
-- answer, forwards what needs an agency, and puts an urgent call through
-- to the agency at once.
INSERT INTO ticket_levels (id, name, description, handler, deadline_days,
    must_forward, alert_supervisor) VALUES
(1, 'Cấp độ 1 — trả lời ngay',
    'Câu hỏi về thủ tục, hồ sơ, lệ phí mà tổng đài viên trả lời được từ cơ sở dữ liệu hỏi đáp.',
    'center', 1, false, false),
(2, 'Cấp độ 2 — chuyển cơ quan chuyên môn',
    'Phản ánh, kiến nghị cần cơ quan có thẩm quyền xem xét, trả lời.',
    'agency', 5, true, false),
(3, 'Cấp độ 3 — khẩn cấp',
    'Sự việc cần xử lý gấp: chuyển ngay cơ quan quản lý và báo giám sát viên.',
    'agency', 1, true, true);

ALTER TABLE tickets DROP CONSTRAINT tickets_level_check;
ALTER TABLE tickets ADD CONSTRAINT tickets_level_fkey
    FOREIGN KEY (level) REFERENCES ticket_levels (id);
CREATE INDEX tickets_level ON tickets (level) WHERE level IS NOT NULL;

ALTER TABLE tickets ADD COLUMN kind text NOT NULL DEFAULT 'khac'
    CHECK (kind IN ('hoi', 'phan_anh', 'kien_nghi', 'khac'));

-- Received: when the contact came (the staff form may say it was earlier,
-- never later than it was typed in); created_at stays when it was typed.
ALTER TABLE tickets ADD COLUMN received_at timestamptz;
UPDATE tickets SET received_at = created_at;
ALTER TABLE tickets ALTER COLUMN received_at SET DEFAULT now(),
    ALTER COLUMN received_at SET NOT NULL;

-- Closed without an answer: why, and what the citizen is told to do.
ALTER TABLE tickets ADD COLUMN close_reason text CHECK (close_reason IN
    ('tham_quyen', 'trung', 'thieu_thong_tin', 'spam', 'khac'));
ALTER TABLE tickets ADD COLUMN close_guidance text
    CHECK (length(close_guidance) <= 2000);

-- Users given a generated password change it before any other page.
ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

ALTER TABLE admin_events DROP CONSTRAINT admin_events_target_kind_check;
ALTER TABLE admin_events ADD CONSTRAINT admin_events_target_kind_check
    CHECK (target_kind IN ('user', 'agency', 'field', 'calendar',
    'open311_client', 'channel', 'message', 'hotline_schedule', 'level'));

-- ticket_submit() learns the type, the level and when the contact was
-- received; the due date the caller computed counts from received_at.
-- Every earlier caller (voicemail in calls.c, the channels) keeps its
-- arguments: the new ones are last and have defaults.
DROP FUNCTION ticket_submit(text, text, text, text, text, integer, text, text,
    text, timestamptz, text, integer, integer, integer, integer, uuid, text,
    text, boolean);

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
	p_name_known	boolean DEFAULT true,
	p_kind		text DEFAULT NULL,
	p_level		smallint DEFAULT NULL,
	p_received_at	timestamptz DEFAULT NULL)
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
	    title, content, submit_key, due_at, created_by, call_uuid, kind, level,
	    received_at)
	VALUES (p_code, p_channel, v_contact, p_name, p_phone, p_email, p_field_id,
	    p_title, p_content, p_submit_key, p_due_at, p_actor_id, p_call_uuid,
	    coalesce(p_kind, 'khac'), p_level, coalesce(p_received_at, now()))
	RETURNING t.id INTO v_id;

	INSERT INTO ticket_events (ticket_id, actor_id, actor_label, kind, public, note, payload)
	VALUES (v_id, p_actor_id,
	    coalesce(p_actor_label,
	        CASE WHEN p_actor_id IS NULL THEN 'Người dân' ELSE 'Điện thoại viên' END),
	    'created', true,
	    coalesce(p_created_note, 'Tổng đài đã tiếp nhận thông tin.'),
	    jsonb_strip_nulls(jsonb_build_object('channel', p_channel,
	        'field_id', p_field_id, 'kind', p_kind, 'level', p_level,
	        'received_at', p_received_at)));

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
    text, text, boolean, text, smallint, timestamptz) TO app;

-- The citizen's tracking view now carries the guidance of a ticket closed
-- without an answer (its return type grows: dropped and made again).
DROP FUNCTION ticket_track(text, text);
CREATE FUNCTION ticket_track(p_code text, p_phone text)
RETURNS TABLE (code text, status text, title text, content text,
    created_at text, field text, agency text, answer text, answered_at text,
    event_at text, event_kind text, event_note text, guidance text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN QUERY
	SELECT t.code, t.status, t.title, t.content,
	    to_char(t.received_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM') AS created_at,
	    f.name AS field, a.name AS agency,
	    CASE WHEN t.status IN ('answered', 'closed') THEN t.answer END AS answer,
	    to_char(t.answered_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM') AS answered_at,
	    to_char(e.at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM') AS event_at,
	    e.kind AS event_kind, e.note AS event_note,
	    CASE WHEN t.status = 'closed' THEN t.close_guidance END AS guidance
	FROM tickets t LEFT JOIN fields f ON f.id = t.field_id
	LEFT JOIN agencies a ON a.id = t.agency_id
	JOIN ticket_events e ON e.ticket_id = t.id AND e.public
	WHERE t.code = p_code AND t.phone = p_phone ORDER BY e.id;
END
$$;
GRANT EXECUTE ON FUNCTION ticket_track(text, text) TO app;

-- The citizen is told the guidance of a ticket closed without an answer,
-- the same way they are told an answer.  Which way that is (their
-- conversation, else e-mail, else SMS) is now one function both use,
-- notice_citizen_deliver(); notice_citizen() of migrations/0055 is
-- replaced by the same function calling it, behaviour unchanged.
ALTER TABLE ticket_notices DROP CONSTRAINT ticket_notices_reason_check;
ALTER TABLE ticket_notices ADD CONSTRAINT ticket_notices_reason_check
    CHECK (reason IN ('forward', 'reminder', 'answer', 'guidance'));

-- The message queued to the citizen of p_ticket, or NULL when there is no
-- way to reach them.  p_notice names the notice in the message's data.
CREATE FUNCTION notice_citizen_deliver(p_ticket bigint, p_subject text,
    p_text text, p_notice text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	t		record;
	c		record;
BEGIN
	SELECT k.email, k.phone INTO t FROM tickets k WHERE k.id = p_ticket;
	SELECT v.id, v.channel, v.thread INTO c FROM conversations v
	    WHERE v.ticket_id = p_ticket ORDER BY v.last_message_at DESC LIMIT 1;
	IF FOUND THEN
		RETURN message_send(c.channel, c.thread, 'notice', p_subject,
		    p_text, c.id, p_ticket, NULL, jsonb_build_object('notice', p_notice));
	ELSIF t.email IS NOT NULL AND t.email <> '' THEN
		RETURN message_send('email', t.email, 'notice', p_subject,
		    p_text, NULL, p_ticket, NULL, jsonb_build_object('notice', p_notice));
	ELSIF t.phone IS NOT NULL AND t.phone <> ''
	    AND notice_setting('sms', 'url', NULL) IS NOT NULL THEN
		RETURN message_send('sms', t.phone, 'notice', NULL, p_text, NULL,
		    p_ticket, NULL, jsonb_build_object('notice', p_notice));
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION notice_citizen(p_ticket bigint, p_event bigint,
    p_actor integer, p_actor_label text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	t		record;
	v_msg		bigint;
	v_text		text;
	v_link		text;
BEGIN
	SELECT k.id, k.code, k.title INTO t FROM tickets k WHERE k.id = p_ticket;
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
	v_msg := notice_citizen_deliver(p_ticket,
	    'Phiếu ' || t.code || ' đã được trả lời', v_text, 'answer');
	IF v_msg IS NULL THEN
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

CREATE FUNCTION notice_citizen_guidance(p_ticket bigint, p_event bigint)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	t		record;
	v_msg		bigint;
BEGIN
	SELECT k.code, k.close_guidance INTO t FROM tickets k
	    WHERE k.id = p_ticket AND k.close_guidance IS NOT NULL;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	INSERT INTO ticket_notices (ticket_id, reason, key)
	    VALUES (p_ticket, 'guidance', p_event::text) ON CONFLICT DO NOTHING;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	v_msg := notice_citizen_deliver(p_ticket,
	    'Phiếu ' || t.code || ': hướng dẫn của Tổng đài 1022',
	    'Phiếu ' || t.code || ' đã kết thúc. Hướng dẫn: ' || t.close_guidance ||
	    ' Xem tại ' || notice_url('/tra-cuu?code=' || t.code), 'guidance');
	IF v_msg IS NOT NULL THEN
		UPDATE ticket_notices SET message_id = v_msg WHERE ticket_id = p_ticket
		    AND reason = 'guidance' AND key = p_event::text;
	END IF;
	RETURN v_msg;
END
$$;

CREATE OR REPLACE FUNCTION ticket_events_notice() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.kind = 'forward' THEN
		PERFORM notice_agency(NEW.ticket_id, false, NEW.id::text);
	ELSIF NEW.kind = 'answer' THEN
		PERFORM notice_citizen(NEW.ticket_id, NEW.id, NEW.actor_id,
		    NEW.actor_label);
	ELSIF NEW.kind = 'close' AND NEW.payload ? 'guidance' THEN
		PERFORM notice_citizen_guidance(NEW.ticket_id, NEW.id);
	END IF;
	RETURN NULL;
END
$$;
DROP TRIGGER ticket_events_notice ON ticket_events;
CREATE TRIGGER ticket_events_notice AFTER INSERT ON ticket_events
    FOR EACH ROW WHEN (NEW.kind IN ('forward', 'answer', 'close'))
    EXECUTE FUNCTION ticket_events_notice();

-- Agencies down to the commune: each xã, phường and thị trấn of Đồng Tháp
-- (as before the 2025 reorganisation) under its huyện, thị xã or thành
-- phố, whose UBND migrations/0003 seeded.  Codes are the district's code
-- and a number; the name says the district, as lists show many "Phường 1".
ALTER TABLE agencies ADD COLUMN parent_id integer REFERENCES agencies (id);
CREATE INDEX agencies_parent ON agencies (parent_id) WHERE parent_id IS NOT NULL;

INSERT INTO agencies (code, name, kind, parent_id)
SELECT d.code || '-' || lpad(x.n::text, 2, '0'),
    'Ủy ban nhân dân ' || x.unit || ' (' ||
        regexp_replace(d.name, '^Ủy ban nhân dân ', '') || ')',
    'xa', d.id
FROM (VALUES
('UBND-CAOLANH', ARRAY['Phường 1', 'Phường 2', 'Phường 3', 'Phường 4',
    'Phường 6', 'Phường 11', 'phường Hòa Thuận', 'phường Mỹ Phú', 'xã Hòa An',
    'xã Tịnh Thới', 'xã Tân Thuận Tây', 'xã Tân Thuận Đông', 'xã Mỹ Tân',
    'xã Mỹ Trà', 'xã Mỹ Ngãi']),
('UBND-SADEC', ARRAY['Phường 1', 'Phường 2', 'Phường 3', 'Phường 4',
    'phường An Hòa', 'phường Tân Quy Đông', 'xã Tân Khánh Đông',
    'xã Tân Quy Tây', 'xã Tân Phú Đông']),
('UBND-HONGNGU', ARRAY['phường An Thạnh', 'phường An Lộc', 'phường An Lạc',
    'phường An Bình A', 'phường An Bình B', 'xã Tân Hội', 'xã Bình Thạnh']),
('UBND-TANHONG', ARRAY['thị trấn Sa Rài', 'xã Tân Hộ Cơ', 'xã Thông Bình',
    'xã Bình Phú', 'xã Tân Thành A', 'xã Tân Thành B', 'xã Tân Phước',
    'xã Tân Công Chí', 'xã An Phước']),
('UBND-HHONGNGU', ARRAY['thị trấn Thường Thới Tiền', 'xã Thường Phước 1',
    'xã Thường Phước 2', 'xã Thường Thới Hậu A', 'xã Thường Lạc',
    'xã Long Khánh A', 'xã Long Khánh B', 'xã Long Thuận', 'xã Phú Thuận A',
    'xã Phú Thuận B']),
('UBND-TAMNONG', ARRAY['thị trấn Tràm Chim', 'xã Tân Công Sính',
    'xã Phú Cường', 'xã Phú Hiệp', 'xã Phú Đức', 'xã Phú Thành A',
    'xã Phú Thành B', 'xã Phú Thọ', 'xã An Hòa', 'xã An Long', 'xã Phú Ninh',
    'xã Hòa Bình']),
('UBND-THANHBINH', ARRAY['thị trấn Thanh Bình', 'xã Tân Quới', 'xã Tân Hòa',
    'xã An Phong', 'xã Phú Lợi', 'xã Tân Mỹ', 'xã Bình Thành', 'xã Tân Long',
    'xã Tân Thạnh', 'xã Tân Phú', 'xã Tân Bình', 'xã Tân Huề']),
('UBND-THAPMUOI', ARRAY['thị trấn Mỹ An', 'xã Thạnh Lợi', 'xã Hưng Thạnh',
    'xã Trường Xuân', 'xã Tân Kiều', 'xã Mỹ Hòa', 'xã Mỹ Quý', 'xã Mỹ Đông',
    'xã Đốc Binh Kiều', 'xã Láng Biển', 'xã Phú Điền', 'xã Thanh Mỹ',
    'xã Mỹ An']),
('UBND-HCAOLANH', ARRAY['thị trấn Mỹ Thọ', 'xã Ba Sao', 'xã Phương Thịnh',
    'xã Gáo Giồng', 'xã Phong Mỹ', 'xã Tân Nghĩa', 'xã Phương Trà',
    'xã Nhị Mỹ', 'xã Mỹ Thọ', 'xã Tân Hội Trung', 'xã An Bình', 'xã Mỹ Hội',
    'xã Mỹ Hiệp', 'xã Mỹ Long', 'xã Bình Hàng Trung', 'xã Bình Hàng Tây',
    'xã Mỹ Xương', 'xã Bình Thạnh']),
('UBND-LAPVO', ARRAY['thị trấn Lấp Vò', 'xã Mỹ An Hưng A', 'xã Mỹ An Hưng B',
    'xã Tân Mỹ', 'xã Tân Khánh Trung', 'xã Long Hưng A', 'xã Long Hưng B',
    'xã Vĩnh Thạnh', 'xã Bình Thạnh Trung', 'xã Định Yên', 'xã Hội An Đông',
    'xã Bình Thành', 'xã Định An']),
('UBND-LAIVUNG', ARRAY['thị trấn Lai Vung', 'xã Tân Dương', 'xã Hòa Thành',
    'xã Long Hậu', 'xã Tân Phước', 'xã Hòa Long', 'xã Tân Thành',
    'xã Long Thắng', 'xã Vĩnh Thới', 'xã Tân Hòa', 'xã Định Hòa',
    'xã Phong Hòa']),
('UBND-CHAUTHANH', ARRAY['thị trấn Cái Tàu Hạ', 'xã An Hiệp', 'xã An Nhơn',
    'xã An Khánh', 'xã Hòa Tân', 'xã An Phú Thuận', 'xã Phú Hựu',
    'xã Phú Long', 'xã Tân Nhuận Đông', 'xã Tân Bình', 'xã Tân Phú',
    'xã Tân Phú Trung'])
) AS p (district, units)
JOIN agencies d ON d.code = p.district
CROSS JOIN LATERAL unnest(p.units) WITH ORDINALITY AS x (unit, n)
ON CONFLICT (code) DO NOTHING;
