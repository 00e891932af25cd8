-- Proposed migration (measured by make bench, not applied): the tracking
-- query as a PL/pgSQL function.  PL/pgSQL keeps the plan of the query for the
-- life of the connection, so PostgreSQL no longer parses and plans a
-- four-table join on every GET /api/v1/tickets/{code} (about 0.2 ms of the
-- 0.3 ms of database work of a lookup).  src/tickets.c then sends
--   SELECT * FROM ticket_track($1, $2)
-- with the same columns, so the C code that reads them does not change.
CREATE OR REPLACE FUNCTION ticket_track(p_code text, p_phone text)
RETURNS TABLE (code text, status text, title text, content text,
    created_at text, field text, agency text, answer text, answered_at text,
    event_at text, event_kind text, event_note text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN QUERY
	SELECT t.code, t.status, t.title, t.content, to_char(t.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS+07:00') AS created_at, f.name AS field, a.name AS agency, CASE WHEN t.status IN ('answered', 'closed') THEN t.answer END AS answer, to_char(t.answered_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS+07:00') AS answered_at, to_char(e.at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS+07:00') AS event_at, e.kind AS event_kind, e.note AS event_note FROM tickets t LEFT JOIN fields f ON f.id = t.field_id LEFT JOIN agencies a ON a.id = t.agency_id JOIN ticket_events e ON e.ticket_id = t.id AND e.public WHERE t.code = p_code AND t.phone = p_phone ORDER BY e.id;
END
$$;
GRANT EXECUTE ON FUNCTION ticket_track(text, text) TO app;
