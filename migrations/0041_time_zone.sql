-- The time zone is the session's (scripts/db sets it on the database,
-- Kore sends APP_TIME_ZONE on its connections: src/date.c), not a name in
-- each statement: these two functions said 'Asia/Ho_Chi_Minh' and a fixed
-- +07:00.  Same output in Việt Nam; TZH:TZM is the session's offset.

CREATE OR REPLACE FUNCTION ticket_track(p_code text, p_phone text)
RETURNS TABLE (code text, status text, title text, content text,
    created_at text, field text, agency text, answer text, answered_at text,
    event_at text, event_kind text, event_note text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN QUERY
	SELECT t.code, t.status, t.title, t.content,
	    to_char(t.created_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM') AS created_at,
	    f.name AS field, a.name AS agency,
	    CASE WHEN t.status IN ('answered', 'closed') THEN t.answer END AS answer,
	    to_char(t.answered_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM') AS answered_at,
	    to_char(e.at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM') AS event_at,
	    e.kind AS event_kind, e.note AS event_note
	FROM tickets t LEFT JOIN fields f ON f.id = t.field_id
	LEFT JOIN agencies a ON a.id = t.agency_id
	JOIN ticket_events e ON e.ticket_id = t.id AND e.public
	WHERE t.code = p_code AND t.phone = p_phone ORDER BY e.id;
END
$$;

CREATE OR REPLACE FUNCTION call_history_note(disposition text,
    transferred_to text, agency_id integer, transferred_at timestamptz)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE disposition
	    WHEN 'answered' THEN 'Cuộc gọi đã trả lời'
	    WHEN 'abandoned' THEN 'Cuộc gọi nhỡ'
	    WHEN 'voicemail' THEN 'Lời nhắn thoại'
	    ELSE 'Chuyển cuộc gọi đến ' ||
	        coalesce((SELECT a.name FROM agencies a WHERE a.id = agency_id) ||
	            ', số ', 'số ') ||
	        coalesce(transferred_to, 'không rõ') ||
	        coalesce(', lúc ' || to_char(transferred_at, 'HH24:MI DD/MM/YYYY'), '')
	    END
$$;
