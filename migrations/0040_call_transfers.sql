-- Where a transferred call went: the number dialled and the agency it
-- belongs to (the plugin dials agencies' numbers only, plus an
-- administrator's short list of no agency), and when it was handed over.
ALTER TABLE calls ADD COLUMN transferred_to text
    CHECK (transferred_to ~ '^\+?[0-9]{1,32}$');
ALTER TABLE calls ADD COLUMN transfer_agency_id integer REFERENCES agencies (id);
ALTER TABLE calls ADD COLUMN transferred_at timestamptz;

-- The line a call leaves in its ticket's history, written once for the two
-- paths that add it (the call reported after the ticket was opened, and
-- the ticket opened after the call was reported).
CREATE FUNCTION call_history_note(disposition text, transferred_to text,
    agency_id integer, transferred_at timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE disposition
	    WHEN 'answered' THEN 'Cuộc gọi đã trả lời'
	    WHEN 'abandoned' THEN 'Cuộc gọi nhỡ'
	    WHEN 'voicemail' THEN 'Lời nhắn thoại'
	    ELSE 'Chuyển cuộc gọi đến ' ||
	        coalesce((SELECT a.name FROM agencies a WHERE a.id = agency_id) ||
	            ', số ', 'số ') ||
	        coalesce(transferred_to, 'không rõ') ||
	        coalesce(', lúc ' || to_char(transferred_at AT TIME ZONE
	            'Asia/Ho_Chi_Minh', 'HH24:MI DD/MM/YYYY'), '')
	    END
$$;
