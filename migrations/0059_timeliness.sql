-- Honest timeliness (issue 11).  Every deadline a ticket is given is kept,
-- the first one included, so the statistics can say "on time" against the
-- deadline first promised, not against the one a re-forward moved later.
-- One definition of "overdue", used by the operators' inbox, the agency
-- inbox, the supervisor's pages and the statistics.  The figures of each
-- agency: time from the forward to that agency's reply.

CREATE TABLE ticket_deadlines (
	id		bigserial PRIMARY KEY,
	ticket_id	bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	due_at		timestamptz NOT NULL,
	agency_id	integer REFERENCES agencies (id),	-- who it was set for
	status		text NOT NULL,		-- the ticket's status then
	set_at		timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX ticket_deadlines_ticket ON ticket_deadlines (ticket_id, id);
GRANT SELECT, INSERT ON ticket_deadlines TO app;

-- Whatever statement sets due_at (ticket_submit at creation, the forward,
-- a later change), the deadline is recorded: no statement can forget it.
CREATE FUNCTION ticket_deadline_keep() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.due_at IS NOT NULL AND (TG_OP = 'INSERT' OR
	    NEW.due_at IS DISTINCT FROM OLD.due_at) THEN
		INSERT INTO ticket_deadlines (ticket_id, due_at, agency_id, status)
		VALUES (NEW.id, NEW.due_at, NEW.agency_id, NEW.status);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER ticket_deadline_keep AFTER INSERT OR UPDATE OF due_at
    ON tickets FOR EACH ROW EXECUTE FUNCTION ticket_deadline_keep();

-- Existing tickets: their current deadline is the only one known.
INSERT INTO ticket_deadlines (ticket_id, due_at, agency_id, status, set_at)
SELECT id, due_at, agency_id, status, created_at FROM tickets
WHERE due_at IS NOT NULL ORDER BY id;

-- The first deadline a ticket was given (its current one if none is kept).
CREATE FUNCTION ticket_first_due(p_ticket bigint) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT d.due_at FROM ticket_deadlines d
	    WHERE d.ticket_id = p_ticket ORDER BY d.id LIMIT 1),
	    (SELECT t.due_at FROM tickets t WHERE t.id = p_ticket))
$$;
GRANT EXECUTE ON FUNCTION ticket_first_due(bigint) TO app;

-- Open: not answered and not closed.  A reopened ticket is open again, and
-- counts once, like any other ticket.
CREATE FUNCTION ticket_open(t tickets) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT t.status NOT IN ('answered', 'closed')
$$;
GRANT EXECUTE ON FUNCTION ticket_open(tickets) TO app;

-- THE definition of overdue: open and past its current deadline.
CREATE FUNCTION ticket_overdue(t tickets) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT t.status NOT IN ('answered', 'closed') AND t.due_at < now()
$$;
GRANT EXECUTE ON FUNCTION ticket_overdue(tickets) TO app;

-- The center's first reply: its first answer or its first forward.
CREATE FUNCTION ticket_first_reply(p_ticket bigint) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
	SELECT min(e.at) FROM ticket_events e
	WHERE e.ticket_id = p_ticket AND e.kind IN ('answer', 'forward')
$$;
GRANT EXECUTE ON FUNCTION ticket_first_reply(bigint) TO app;

-- Each agency's figures for the tickets forwarded to it between two days
-- (inclusive, the session's time zone), one line per agency; p_agency NULL
-- is every agency, an agency's id (web_ticket_scope) that agency only.
-- A ticket forwarded to an agency twice counts once for it: from its first
-- forward there, against the first deadline it was given there, to that
-- agency's first reply after it.  Overdue: not replied and, still with
-- the agency, ticket_overdue().
CREATE FUNCTION agency_timeliness(p_from date, p_to date, p_agency integer)
RETURNS TABLE (agency_id integer, code text, name text, received bigint,
    answered bigint, on_time bigint, on_time_pct numeric, overdue bigint,
    avg_hours numeric)
LANGUAGE sql STABLE AS $$
	WITH fw AS (
		SELECT e.ticket_id, (e.payload->>'agency_id')::integer AS agency,
		    min(e.at) AS forwarded_at,
		    (array_agg((e.payload->>'due_at')::timestamptz
		        ORDER BY e.id))[1] AS first_due
		FROM ticket_events e
		WHERE e.kind = 'forward' AND e.payload ? 'agency_id'
		  AND (p_agency IS NULL OR
		      (e.payload->>'agency_id')::integer = p_agency)
		GROUP BY 1, 2
	), x AS (
		SELECT fw.*, (SELECT min(r.at) FROM ticket_events r
		    WHERE r.ticket_id = fw.ticket_id AND r.kind = 'agency_answer'
		      AND (r.payload->>'agency_id')::integer = fw.agency
		      AND r.at >= fw.forwarded_at) AS replied_at,
		    (t.agency_id = fw.agency AND ticket_overdue(t)) AS late_open
		FROM fw JOIN tickets t ON t.id = fw.ticket_id
		WHERE fw.forwarded_at >= p_from::timestamptz
		  AND fw.forwarded_at < (p_to + 1)::timestamptz
	)
	SELECT a.id, a.code, a.name, count(*),
	    count(x.replied_at),
	    count(*) FILTER (WHERE x.replied_at <= x.first_due),
	    round(100.0 * count(*) FILTER (WHERE x.replied_at <= x.first_due)
	        / nullif(count(x.replied_at), 0), 1),
	    count(*) FILTER (WHERE x.replied_at IS NULL AND x.late_open),
	    round(extract(epoch FROM avg(x.replied_at - x.forwarded_at))
	        / 3600, 1)
	FROM x JOIN agencies a ON a.id = x.agency
	GROUP BY a.id, a.code, a.name
	ORDER BY a.name
$$;
GRANT EXECUTE ON FUNCTION agency_timeliness(date, date, integer) TO app;
