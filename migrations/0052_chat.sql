-- Live chat on the portal (src/chat.c, assets/js/chat.js).  A visitor's
-- conversation is a conversations row with channel 'chat' and, as its
-- thread, the SHA-256 (hex) of the visitor's random id: the id itself, a
-- secret that lets a browser resume its conversation, is never stored.
-- Every visitor message is message_receive('chat', thread || ':' || cid,
-- thread, ...) with the client's message id (cid), so a message re-sent
-- after a reconnect is stored once.  Nothing of 0050 is changed.

-- Is someone there to answer?  An operator (not an agency, not an
-- administrator) with a session that has not ended: logged in, not logged
-- out, not expired (sessions last 12 hours, auth.c).  When none is, the
-- widget shows the offline form that files a ticket.
CREATE FUNCTION chat_operators_online()
RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id
	    WHERE u.role = 'operator' AND u.active AND s.expires_at > now())
$$;

-- A chat conversation as text, oldest first, one line per message: what
-- the visitor may ask for by e-mail, and what goes into the ticket the
-- conversation becomes.
CREATE FUNCTION chat_transcript(p_conversation bigint)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT coalesce(string_agg(to_char(m.created_at, 'DD/MM/YYYY HH24:MI')
	    || ' ' || CASE WHEN m.direction = 'in'
	        THEN coalesce(nullif(m.sender, ''), 'Người dân')
	        ELSE coalesce(u.full_name, 'Tổng đài 1022') END
	    || ': ' || m.body
	    || CASE WHEN m.payload ? 'image'
	        THEN ' [ảnh: ' || (m.payload->>'image') || ']' ELSE '' END,
	    E'\n' ORDER BY m.id), '')
	FROM messages m LEFT JOIN users u ON u.id = m.author_id
	WHERE m.conversation_id = p_conversation AND m.channel = 'chat'
	  AND m.kind = 'message'
$$;
