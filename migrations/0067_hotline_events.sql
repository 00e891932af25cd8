-- The hotline plugin's new call dispositions (docs/hotline-api.md, "Call
-- events to Kore"): "missed" is a call nobody talked to that is owed a
-- call back without a ticket: the caller hung up while an operator's
-- phone rang ("missed while ringing"), left a voicemail with no speech in
-- it, or vanished without a BYE (their media stopped for rtp_timeout).
-- Widens the CHECK of migrations/0004 and redefines call_history_note
-- (0041) and call_needs_callback (0060) with CREATE OR REPLACE.

ALTER TABLE calls DROP CONSTRAINT calls_disposition_check;
ALTER TABLE calls ADD CONSTRAINT calls_disposition_check CHECK (disposition IN
    ('answered', 'abandoned', 'voicemail', 'transferred', 'missed'));

CREATE OR REPLACE FUNCTION call_history_note(disposition text,
    transferred_to text, agency_id integer, transferred_at timestamptz)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE disposition
	    WHEN 'answered' THEN 'Cuộc gọi đã trả lời'
	    WHEN 'abandoned' THEN 'Cuộc gọi nhỡ'
	    WHEN 'missed' THEN 'Cuộc gọi nhỡ (không ai nói chuyện với người gọi)'
	    WHEN 'voicemail' THEN 'Lời nhắn thoại'
	    ELSE 'Chuyển cuộc gọi đến ' ||
	        coalesce((SELECT a.name FROM agencies a WHERE a.id = agency_id) ||
	            ', số ', 'số ') ||
	        coalesce(transferred_to, 'không rõ') ||
	        coalesce(', lúc ' || to_char(transferred_at, 'HH24:MI DD/MM/YYYY'), '')
	    END
$$;

CREATE OR REPLACE FUNCTION call_needs_callback(p_disposition text, p_call_uuid uuid)
RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT p_disposition IN ('abandoned', 'voicemail', 'missed')
	    OR (p_disposition = 'answered' AND NOT EXISTS
	    (SELECT 1 FROM tickets t WHERE t.call_uuid = p_call_uuid));
$$;
