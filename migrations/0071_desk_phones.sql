-- Desk phones as agents (issue 11): the Kore user an agent reference of
-- the hotline plugin names.  A console logs in with the user's id; a desk
-- phone's SIP_EXTENSIONS entry names its operator by that id or by the
-- operator's username (ext:username:password), so the calls it takes and
-- its state changes are the operator's on every page.  One definition,
-- used by the call events and the agent.state events (src/calls.c,
-- src/call_stats.c).
CREATE OR REPLACE FUNCTION hotline_agent_user(ref text)
RETURNS integer
LANGUAGE sql STABLE
AS $$
	SELECT id FROM users
	WHERE id::text = ref OR username = ref
	ORDER BY (id::text = ref) DESC
	LIMIT 1
$$;

-- Rows stored before this function knew usernames: tie them now.
UPDATE calls c SET agent_id = u.id FROM users u
WHERE c.agent_id IS NULL AND c.agent_ref = u.username;
UPDATE agent_states s SET agent_id = u.id FROM users u
WHERE s.agent_id IS NULL AND s.agent_ref = u.username;
