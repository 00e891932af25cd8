-- A year of demo history for `make run` (scripts/demo-history feeds the
-- ticket codes on stdin and names the recordings): a few thousand tickets
-- across fields, channels, agencies and statuses, the hotline's calls with
-- recordings, and the operators' days.  Every row is marked demo (and a
-- ticket's title says so).  Tickets go through ticket_submit(), the one
-- ticket path; their history is then set back in time.  No forward or
-- answer event is written, so no notice is queued for anyone.
\set ON_ERROR_STOP 1
CREATE TEMP TABLE demo_codes (ym text, code text);
\copy demo_codes FROM pstdin WITH (FORMAT text, DELIMITER ' ')
SELECT setseed(0.1022) \gset

CREATE TEMP TABLE demo_plan AS
WITH base AS (
	SELECT i, date_trunc('day', now()) - make_interval(days =>
	    floor(random() * 365)::int) + make_interval(mins =>
	    7 * 60 + floor(random() * 10.5 * 60)::int) AS created_at,
	    random() AS rf, random() AS rc, random() AS rs, random() AS rl,
	    random() AS rn, random() AS rp, random() AS rk
	FROM generate_series(1, 3000) i
), f AS (
	SELECT row_number() OVER (ORDER BY sort) - 1 AS n, id, name,
	    default_agency_id, deadline_days, count(*) OVER () AS total
	FROM fields
), p AS (
	SELECT b.*, f.id AS field_id, f.name AS field_name,
	    f.default_agency_id, f.deadline_days,
	    CASE WHEN b.rc < .38 THEN 'phone' WHEN b.rc < .62 THEN 'web'
	      WHEN b.rc < .72 THEN 'email' WHEN b.rc < .82 THEN 'zalo'
	      WHEN b.rc < .88 THEN 'facebook' WHEN b.rc < .95 THEN 'chat'
	      WHEN b.rc < .98 THEN 'open311' ELSE 'other' END AS channel
	FROM base b JOIN f ON f.n = least(floor(power(b.rf, 1.7) * f.total),
	    f.total - 1)
	WHERE b.created_at < now()
), s AS (
	SELECT p.*, p.created_at + make_interval(days => p.deadline_days)
	    AS due_at,
	    CASE WHEN now() - p.created_at > interval '30 days' THEN
	      CASE WHEN p.rs < .80 THEN 'answered' WHEN p.rs < .90 THEN 'closed'
	        WHEN p.rs < .95 THEN 'forwarded' ELSE 'agency_answered' END
	    ELSE
	      CASE WHEN p.rs < .20 THEN 'new' WHEN p.rs < .32 THEN 'classified'
	        WHEN p.rs < .62 THEN 'forwarded'
	        WHEN p.rs < .72 THEN 'agency_answered' ELSE 'answered' END
	    END AS status
	FROM p
), s2 AS (
	SELECT s.*, row_number() OVER (PARTITION BY to_char(s.created_at,
	    'YYYY-MM') ORDER BY s.i) AS k
	FROM s
)
SELECT s.*, c.code,
    CASE WHEN s.status IN ('new', 'classified') THEN NULL
      ELSE coalesce(s.default_agency_id,
        (SELECT id FROM agencies ORDER BY id LIMIT 1)) END AS agency_id,
    CASE WHEN s.status IN ('answered', 'closed') THEN least(now(),
      s.created_at + make_interval(mins => floor(s.rl * s.deadline_days *
      1.35 * 1440)::int + 30)) END AS answered_at,
    (ARRAY['Nguyễn Văn An', 'Trần Thị Bích', 'Lê Văn Cường', 'Phạm Thị Dung',
      'Huỳnh Văn Em', 'Võ Thị Giang', 'Đặng Văn Hùng', 'Bùi Thị Hoa',
      'Ngô Văn Khoa', 'Dương Thị Lan', 'Lý Văn Minh', 'Trương Thị Ngọc'])
      [1 + floor(s.rn * 12)::int] AS name,
    '09' || lpad(floor(s.rp * 100000000)::bigint::text, 8, '0') AS phone,
    (ARRAY['Hỏi về', 'Phản ánh về', 'Kiến nghị về', 'Góp ý về'])
      [1 + floor(s.rk * 4)::int] || ' ' || lower(s.field_name) || ' tại ' ||
    (ARRAY['phường 1, TP Cao Lãnh', 'xã Mỹ Tân, TP Cao Lãnh', 'TP Sa Đéc',
      'huyện Tháp Mười', 'huyện Lấp Vò', 'huyện Châu Thành', 'TP Hồng Ngự',
      'huyện Tam Nông', 'huyện Thanh Bình', 'huyện Lai Vung'])
      [1 + floor(s.rn * 10)::int] AS title
FROM s2 s JOIN (SELECT ym, code, row_number() OVER (PARTITION BY ym) AS k
    FROM demo_codes) c
  ON c.ym = to_char(s.created_at, 'YYYY-MM') AND c.k = s.k;

DO $$
DECLARE
	p	record;
	v_id	bigint;
BEGIN
	FOR p IN SELECT * FROM demo_plan ORDER BY created_at LOOP
		SELECT s.id INTO v_id FROM ticket_submit(p.code, p.channel,
		    p.name, p.phone, NULL, p.field_id,
		    '[Dữ liệu mẫu] ' || p.title,
		    'Dữ liệu mẫu để xem thử hệ thống. ' || p.title ||
		    '. Đề nghị cơ quan chức năng xem xét, giải quyết.',
		    'demo:' || p.i, p.due_at, NULL, 0, 3600, NULL, 0) s;
		UPDATE tickets SET demo = true, created_at = p.created_at,
		    updated_at = coalesce(p.answered_at, p.created_at),
		    status = p.status, agency_id = p.agency_id,
		    answered_at = p.answered_at,
		    answer = CASE WHEN p.answered_at IS NOT NULL THEN
		      'Cơ quan chức năng đã kiểm tra và giải quyết theo quy định '
		      '(dữ liệu mẫu).' END,
		    -- One answered ticket in twelve is published in the Q&A.
		    published = p.answered_at IS NOT NULL AND p.i % 12 = 0,
		    closed_at = CASE WHEN p.status = 'closed' THEN
		      p.answered_at + interval '2 days' END
		WHERE id = v_id;
	END LOOP;
END
$$;

-- The hotline: about 4,500 calls, most answered, with recordings (a
-- handful of files, named by scripts/demo-history in :'recordings').
INSERT INTO calls (event_id, call_uuid, sip_call_id, caller, callee,
    agent_ref, agent_id, disposition, hangup_by, codec, created_at,
    answered_at, ended_at, wait_seconds, talk_seconds, recording,
    transferred_to, transfer_agency_id, transferred_at, demo)
SELECT gen_random_uuid(), gen_random_uuid(), 'demo-' || g.i || '@1022',
    '09' || lpad(floor(random() * 100000000)::bigint::text, 8, '0'), '1022',
    CASE WHEN g.answered THEN g.agent::text END,
    CASE WHEN g.answered THEN g.agent END,
    g.disposition, CASE WHEN g.disposition = 'transferred' THEN 'agency'
      WHEN g.answered THEN 'agent' ELSE 'caller' END, 'PCMA',
    g.at, CASE WHEN g.answered THEN g.at + make_interval(secs => g.wait) END,
    g.at + make_interval(secs => g.wait + g.talk), g.wait, g.talk,
    CASE WHEN g.disposition <> 'abandoned' THEN
      (string_to_array(:'recordings', ' '))[1 + floor(random() * 4)::int] END,
    CASE WHEN g.disposition = 'transferred' THEN '02773851234' END,
    CASE WHEN g.disposition = 'transferred' THEN
      (SELECT id FROM agencies WHERE code = 'SGTVT') END,
    CASE WHEN g.disposition = 'transferred' THEN
      g.at + make_interval(secs => g.wait + 40) END,
    true
FROM (SELECT i, at, d AS disposition, d IN ('answered', 'transferred')
        AS answered,
      CASE WHEN d IN ('answered', 'transferred')
        THEN least(floor(-ln(1 - random()) * 14), 180)::int
        WHEN d = 'abandoned' THEN 5 + least(floor(-ln(1 - random()) * 35),
          300)::int
        ELSE 120 END AS wait,
      CASE WHEN d IN ('answered', 'transferred')
        THEN 40 + least(floor(-ln(1 - random()) * 160), 1500)::int
        WHEN d = 'voicemail' THEN 20 + floor(random() * 40)::int
        ELSE 0 END AS talk,
      (SELECT id FROM users WHERE username IN ('dtv.lan', 'dtv.minh')
        ORDER BY id OFFSET (i % 2) LIMIT 1) AS agent
    FROM (SELECT i, at, CASE WHEN r < .74 THEN 'answered'
        WHEN r < .80 THEN 'transferred' WHEN r < .92 THEN 'abandoned'
        ELSE 'voicemail' END AS d
      FROM (SELECT i, random() AS r, date_trunc('day', now()) -
          make_interval(days => floor(random() * 365)::int) +
          make_interval(mins => 7 * 60 + floor(random() * 13 * 60)::int) AS at
        FROM generate_series(1, 4500) i) x WHERE at < now() - interval '10 minutes') y) g;

-- The operators' days over the last 30 days: on at 7:30, lunch, off at 17:00.
INSERT INTO agent_states (event_id, agent_ref, agent_id, state, reason,
    device, at, demo)
SELECT gen_random_uuid(), u.id::text, u.id, e.state, e.reason, 'web',
    d + e.t + make_interval(mins => floor(random() * 10)::int), true
FROM users u
CROSS JOIN generate_series(date_trunc('day', now()) - interval '30 days',
    date_trunc('day', now()) - interval '1 day', interval '1 day') d
CROSS JOIN (VALUES (interval '7 hours 30 minutes', 'available', NULL),
    (interval '9 hours 45 minutes', 'paused', 'Nghỉ giải lao'),
    (interval '10 hours', 'available', NULL),
    (interval '11 hours 30 minutes', 'paused', 'Ăn trưa'),
    (interval '13 hours', 'available', NULL),
    (interval '15 hours', 'paused', 'Họp giao ban'),
    (interval '15 hours 30 minutes', 'available', NULL),
    (interval '17 hours', 'offline', NULL)) e (t, state, reason)
WHERE u.username IN ('dtv.lan', 'dtv.minh') AND extract(isodow FROM d) < 6;

SELECT (SELECT count(*) FROM tickets WHERE demo) AS demo_tickets,
    (SELECT count(*) FROM calls WHERE demo) AS demo_calls,
    (SELECT count(*) FROM agent_states WHERE demo) AS demo_agent_states;
