-- The hotline's own hours (issue 11), apart from the deadline calendar:
-- calendar_days moves due dates, it no longer closes the hotline.  The
-- administrator sets hours per weekday and shifts for given dates on
-- /quan-tri/gio-tong-dai; Kore writes them into $VAR_DIR/calendar.txt
-- ("hours ..." and "shift ..." lines, docs/hotline-api.md) and the plugin
-- reads them again within seconds.
--
-- Default (no rows): open as the plugin is configured (open_hours,
-- "always" unless set otherwise), holidays included.

-- A weekday without a row keeps the plugin's open_hours.
CREATE TABLE hotline_hours (
	dow		smallint PRIMARY KEY CHECK (dow BETWEEN 1 AND 7),	-- ISO: 1 Monday
	closed		boolean NOT NULL DEFAULT false,
	opens		time,
	closes		time,		-- '24:00' for the end of the day
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	integer REFERENCES users (id),
	CHECK (closed AND opens IS NULL AND closes IS NULL OR
	    NOT closed AND opens IS NOT NULL AND closes IS NOT NULL AND
	    opens < closes)
);

-- A date the hotline closes, or opens with other hours.
CREATE TABLE hotline_shifts (
	day		date PRIMARY KEY,
	closed		boolean NOT NULL DEFAULT false,
	opens		time,
	closes		time,
	note		text NOT NULL DEFAULT '' CHECK (length(note) <= 200),
	created_at	timestamptz NOT NULL DEFAULT now(),
	created_by	integer REFERENCES users (id),
	CHECK (closed AND opens IS NULL AND closes IS NULL OR
	    NOT closed AND opens IS NOT NULL AND closes IS NOT NULL AND
	    opens < closes)
);

-- The lines the plugin reads, in order: the week, then the shifts from
-- yesterday on (its time zone may be behind), at most 500 (the plugin's
-- limit is 512).
CREATE VIEW hotline_schedule_lines AS
SELECT ord, line FROM (
	SELECT dow::integer AS ord, 'hours ' ||
	    (ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])[dow] ||
	    ' ' || CASE WHEN closed THEN 'closed' ELSE
	    to_char(opens, 'HH24:MI') || '-' || to_char(closes, 'HH24:MI') END
	    AS line
	FROM hotline_hours
	UNION ALL
	SELECT 10 + row_number() OVER (ORDER BY day)::integer, 'shift ' ||
	    to_char(day, 'YYYY-MM-DD') || ' ' || CASE WHEN closed THEN
	    'closed' ELSE to_char(opens, 'HH24:MI') || '-' ||
	    to_char(closes, 'HH24:MI') END
	FROM (SELECT * FROM hotline_shifts WHERE day >= current_date - 1
	    ORDER BY day LIMIT 500) s
) l;

ALTER TABLE admin_events DROP CONSTRAINT admin_events_target_kind_check;
ALTER TABLE admin_events ADD CONSTRAINT admin_events_target_kind_check
    CHECK (target_kind IN ('user', 'agency', 'field', 'calendar',
    'open311_client', 'channel', 'message', 'hotline_schedule'));
