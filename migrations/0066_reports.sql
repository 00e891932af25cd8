-- Reports a leader files (src/call_stats.c): the operators' state changes
-- the hotline plugin reports (docs/hotline-api.md, "Call events to Kore",
-- type agent.state), and the time spent in each state, written once here
-- for the page, the CSV and the XLSX.

CREATE TABLE agent_states (
	id		bigserial PRIMARY KEY,
	event_id	uuid NOT NULL UNIQUE,		-- delivered twice = stored once
	agent_ref	text NOT NULL CHECK (length(agent_ref) BETWEEN 1 AND 64),
	agent_id	integer REFERENCES users (id),
	state		text NOT NULL CHECK (state IN ('available', 'ringing',
			    'in_call', 'wrap_up', 'paused', 'offline')),
	reason		text CHECK (length(reason) <= 200),
	device		text CHECK (device IN ('web', 'phone')),
	at		timestamptz NOT NULL,
	received_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_states_agent ON agent_states (agent_ref, at, id);
CREATE INDEX agent_states_at ON agent_states (at);

-- Seconds each operator spent in each state (a pause by its reason) on
-- each day of [p_from, p_to], in the center's zone.  A state lasts until
-- the operator's next event, whenever it arrives; the last one lasts until
-- now (it is the operator's state at this moment); `offline` counts no
-- time.  A state that crosses midnight is split between its days.
CREATE FUNCTION agent_state_times(p_from date, p_to date)
RETURNS TABLE (agent_ref text, agent_id integer, day date, state text,
    reason text, seconds bigint)
LANGUAGE sql STABLE AS $$
	WITH s AS (
		SELECT a.agent_ref, a.agent_id, a.state,
		    CASE WHEN a.state = 'paused' THEN coalesce(a.reason, '') END
		        AS reason,
		    a.at AS starts,
		    coalesce(lead(a.at) OVER (PARTITION BY a.agent_ref
		        ORDER BY a.at, a.id), greatest(now(), a.at)) AS ends
		FROM agent_states a
	)
	SELECT s.agent_ref, max(s.agent_id), d.day::date, s.state, s.reason,
	    round(sum(extract(epoch FROM
	        least(s.ends, d.day + interval '1 day') -
	        greatest(s.starts, d.day))))::bigint
	FROM s
	CROSS JOIN LATERAL generate_series(date_trunc('day', s.starts),
	    s.ends, interval '1 day') AS d(day)
	WHERE s.state <> 'offline'
	AND s.starts < (p_to + 1)::timestamptz AND s.ends > p_from::timestamptz
	AND d.day >= p_from::timestamptz AND d.day < (p_to + 1)::timestamptz
	AND least(s.ends, d.day + interval '1 day') > greatest(s.starts, d.day)
	GROUP BY s.agent_ref, d.day, s.state, s.reason;
$$;

GRANT SELECT, INSERT ON agent_states TO app;
GRANT USAGE, SELECT ON SEQUENCE agent_states_id_seq TO app;
GRANT EXECUTE ON FUNCTION agent_state_times(date, date) TO app;

-- Demo history (scripts/demo-history, run by `make run` only): every row it
-- makes says so, for the pages and for anyone cleaning up; a production
-- set-up never runs it.  Added here, not in 0001/0004 (never edited).
ALTER TABLE tickets ADD COLUMN demo boolean NOT NULL DEFAULT false;
ALTER TABLE calls ADD COLUMN demo boolean NOT NULL DEFAULT false;
ALTER TABLE agent_states ADD COLUMN demo boolean NOT NULL DEFAULT false;
