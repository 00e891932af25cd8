-- Hardening: limits checked before the expensive work, and the tables
-- that grow with every attempt pruned.

-- The start of the current fixed window of p_window seconds.
CREATE FUNCTION rate_limit_window(p_window integer) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
	SELECT to_timestamp(floor(extract(epoch FROM now()) / p_window) * p_window)
$$;

-- Whether a key is still under its limit in the current window, without
-- counting a hit (the action itself counts it, once it is done).
CREATE FUNCTION rate_limit_ok(p_key text, p_max integer, p_window integer)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT r.hits FROM rate_limits r WHERE r.key = p_key
	    AND r.window_start = rate_limit_window(p_window)), 0) < p_max
$$;

-- Windows that have ended (none is longer than a day) and sessions that
-- have expired.  Run by a Kore worker's timer (src/prune.c).
CREATE FUNCTION prune_expired() RETURNS TABLE (rate_limits bigint, sessions bigint)
LANGUAGE sql AS $$
	WITH r AS (DELETE FROM rate_limits WHERE window_start < now() - interval '1 day' RETURNING 1),
	     s AS (DELETE FROM sessions WHERE expires_at < now() RETURNING 1)
	SELECT (SELECT count(*) FROM r), (SELECT count(*) FROM s)
$$;
CREATE INDEX rate_limits_window ON rate_limits (window_start);
CREATE INDEX sessions_expires ON sessions (expires_at);

GRANT EXECUTE ON FUNCTION rate_limit_window(integer), rate_limit_ok(text, integer, integer),
    prune_expired() TO app;
