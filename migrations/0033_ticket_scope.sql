-- What a ticket page may show, written once: the tickets in a scope.  NULL
-- is the center (every ticket); an agency's id is that agency's tickets
-- only.  Pages read tickets, their history and their files through it, so
-- a new query cannot forget the agency's restriction.  (A single-SELECT
-- SQL function: the planner inlines it, predicates and indexes included.)
CREATE FUNCTION tickets_in_scope(p_agency integer) RETURNS SETOF tickets
LANGUAGE sql STABLE AS $$
	SELECT * FROM tickets WHERE p_agency IS NULL OR agency_id = p_agency
$$;
GRANT EXECUTE ON FUNCTION tickets_in_scope(integer) TO app;
