-- Reports mailed to the province's leaders (issue 11): the periodic report
-- (reports.c, /giam-sat/bao-cao) of the last complete half-year or year,
-- with its workbook attached, goes once to every address the administrator
-- entered on /quan-tri/kenh (channel 'report').  report_mails holds one row
-- per report sent: whichever workers, machines or restarts find it due,
-- the INSERT ... ON CONFLICT DO NOTHING lets one of them queue it.
--
-- The mail itself is an ordinary outbound e-mail (message_send(), kind
-- 'notice'), so the outbox retries it and /quan-tri/tin-gui shows it; its
-- payload names the report, and the sender (mail_send.c, report_mail.c)
-- builds the workbook on the outbox thread.

-- Changes 0061's list of channels of channel_settings: adds 'report'.
ALTER TABLE channel_settings DROP CONSTRAINT channel_settings_channel_check;
ALTER TABLE channel_settings ADD CONSTRAINT channel_settings_channel_check
    CHECK (channel IN ('email', 'chat', 'zalo', 'facebook', 'sms', 'notice',
	'portal', 'report'));

CREATE TABLE report_mails (
	kind		text NOT NULL CHECK (kind IN ('month', 'half_year', 'year')),
	period		text NOT NULL CHECK (period ~ '^[0-9]{4}(-H[12]|-[01][0-9])?$'),
	period_from	date NOT NULL,
	period_to	date NOT NULL CHECK (period_to >= period_from),
	recipients	integer NOT NULL CHECK (recipients > 0),
	queued_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (kind, period)
);

-- The leaders' addresses as the administrator entered them (checked by
-- channel_settings.c: a few e-mails, separated by commas, semicolons or
-- white space), lower-cased, each once.
CREATE FUNCTION report_mail_leaders()
RETURNS SETOF text
LANGUAGE sql STABLE AS $$
	SELECT DISTINCT lower(a) FROM channel_settings s,
	    regexp_split_to_table(s.value, '[,;[:space:]]+') a
	WHERE s.channel = 'report' AND s.name = 'leaders' AND a <> ''
$$;

-- The last complete period of a kind on day p_day: its name (2026-11,
-- 2026-H1, 2025), first and last day, and the report's slug and title as
-- reports.c gives them (a month: "tháng 11/2026", slug 'thang').
-- Monthly, the report's figures are those of that month: the tickets by
-- field and channel and the calls' statistics.
CREATE FUNCTION report_mail_period(p_kind text, p_day date,
    OUT period text, OUT period_from date, OUT period_to date,
    OUT slug text, OUT label text)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	v_year	integer := extract(year FROM p_day)::integer;
BEGIN
	IF p_kind = 'month' THEN
		period_from := (date_trunc('month', p_day) - interval '1 month')::date;
		period_to := (date_trunc('month', p_day) - interval '1 day')::date;
		period := to_char(period_from, 'YYYY-MM');
		slug := 'thang';
		label := 'tháng ' || to_char(period_from, 'MM/YYYY');
	ELSIF p_kind = 'year' THEN
		period := (v_year - 1)::text;
		period_from := make_date(v_year - 1, 1, 1);
		period_to := make_date(v_year - 1, 12, 31);
		slug := 'ca-nam';
		label := 'năm ' || (v_year - 1)::text;
	ELSIF p_kind = 'half_year' AND extract(month FROM p_day) >= 7 THEN
		period := v_year::text || '-H1';
		period_from := make_date(v_year, 1, 1);
		period_to := make_date(v_year, 6, 30);
		slug := '6-thang-dau';
		label := '6 tháng đầu năm ' || v_year::text;
	ELSIF p_kind = 'half_year' THEN
		period := (v_year - 1)::text || '-H2';
		period_from := make_date(v_year - 1, 7, 1);
		period_to := make_date(v_year - 1, 12, 31);
		slug := '6-thang-cuoi';
		label := '6 tháng cuối năm ' || (v_year - 1)::text;
	ELSE
		RAISE EXCEPTION 'report_mail_period: unknown kind %', p_kind;
	END IF;
END
$$;

-- Queue the report of kind's last complete period to every leader.
-- p_once: only if no worker queued it yet (report_mails); otherwise (the
-- administrator's "Gửi thử ngay") whatever was sent before.  The number
-- of mails queued: 0 if it was queued already or no leader is entered.
CREATE FUNCTION report_mail_queue(p_kind text, p_once boolean)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	p	record;
	v_n	integer;
	v_unit	text;
	v_addr	text;
BEGIN
	SELECT count(*) INTO v_n FROM report_mail_leaders();
	IF v_n = 0 THEN
		RETURN 0;
	END IF;
	SELECT * INTO p FROM report_mail_period(p_kind, current_date);
	IF p_once THEN
		INSERT INTO report_mails (kind, period, period_from, period_to,
		    recipients)
		VALUES (p_kind, p.period, p.period_from, p.period_to, v_n)
		ON CONFLICT DO NOTHING;
		IF NOT FOUND THEN
			RETURN 0;
		END IF;
	END IF;
	SELECT coalesce((SELECT value FROM channel_settings
	    WHERE channel = 'notice' AND name = 'province' AND value <> ''),
	    'Đồng Tháp') INTO v_unit;
	FOR v_addr IN SELECT * FROM report_mail_leaders() LOOP
		PERFORM message_send('email', v_addr, 'notice',
		    'Báo cáo kết quả tiếp nhận, xử lý thông tin ' || p.label,
		    'Kính gửi lãnh đạo,' || E'\n\n' ||
		    'Tổng đài Thông tin dịch vụ công tỉnh ' || v_unit ||
		    ' gửi báo cáo kết quả tiếp nhận, xử lý thông tin ' ||
		    p.label || ' (từ ' || to_char(p.period_from, 'DD/MM/YYYY') ||
		    ' đến ' || to_char(p.period_to, 'DD/MM/YYYY') ||
		    '), chi tiết trong tệp đính kèm.' || E'\n\n' ||
		    'Thư này được gửi tự động; xin đừng trả lời thư.',
		    NULL, NULL, NULL, jsonb_build_object('report',
		    jsonb_build_object('kind', p_kind, 'period', p.period,
		    'from', p.period_from, 'to', p.period_to, 'slug', p.slug,
		    'label', p.label)));
	END LOOP;
	RETURN v_n;
END
$$;

-- Every report due, as the settings' schedule says (report.month,
-- report.half_year, report.year "yes"): the outbox threads call it every
-- REPORT_MAIL_CHECK_SEC (report_mail.h).
CREATE FUNCTION report_mails_due()
RETURNS integer
LANGUAGE sql AS $$
	SELECT coalesce(sum(report_mail_queue(k, true)), 0)::integer
	FROM unnest(ARRAY['month', 'half_year', 'year']) k
	WHERE EXISTS (SELECT 1 FROM channel_settings s WHERE s.channel = 'report'
	    AND s.name = k AND lower(s.value) = 'yes')
	  AND NOT EXISTS (SELECT 1 FROM report_mails r WHERE r.kind = k
	    AND r.period = (report_mail_period(k, current_date)).period)
$$;

GRANT SELECT, INSERT ON report_mails TO app;
GRANT EXECUTE ON FUNCTION report_mail_leaders() TO app;
GRANT EXECUTE ON FUNCTION report_mail_period(text, date) TO app;
GRANT EXECUTE ON FUNCTION report_mail_queue(text, boolean) TO app;
GRANT EXECUTE ON FUNCTION report_mails_due() TO app;
