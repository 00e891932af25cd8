-- The operators' inbox (issue 9): what an operator does to a conversation,
-- one statement each, each telling the other operators at once (NOTIFY
-- inbox with the event) so their lists move without a reload.
--
--   claim    one UPDATE … WHERE claimed_by IS NULL: of two operators
--            claiming together one wins, the other learns who did
--   release  only by the one who holds it
--   close    / reopen
--   link     the conversation and its messages get the ticket, and the
--            ticket's history says where it came from
--
-- Nothing in 0050 is changed.

-- Of two operators claiming together, one row comes back claimed = true;
-- the other gets false and the name of whoever holds it.
CREATE FUNCTION conversation_claim(p_conv bigint, p_user integer)
RETURNS TABLE (claimed boolean, holder text)
LANGUAGE plpgsql AS $$
DECLARE
	v_name	text;
BEGIN
	UPDATE conversations c SET claimed_by = p_user, claimed_at = now()
	    WHERE c.id = p_conv AND c.claimed_by IS NULL;
	IF FOUND THEN
		SELECT u.full_name INTO v_name FROM users u WHERE u.id = p_user;
		PERFORM pg_notify('inbox', json_build_object('conversation', p_conv,
		    'event', 'claimed', 'name', v_name)::text);
		RETURN QUERY SELECT true, v_name;
		RETURN;
	END IF;
	RETURN QUERY SELECT false, u.full_name FROM conversations c
	    LEFT JOIN users u ON u.id = c.claimed_by WHERE c.id = p_conv;
END
$$;

-- The holder gives it back (a supervisor or an admin may too: p_any).
CREATE FUNCTION conversation_release(p_conv bigint, p_user integer,
    p_any boolean DEFAULT false)
RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE conversations c SET claimed_by = NULL, claimed_at = NULL
	    WHERE c.id = p_conv AND c.claimed_by IS NOT NULL
	      AND (c.claimed_by = p_user OR p_any);
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	PERFORM pg_notify('inbox', json_build_object('conversation', p_conv,
	    'event', 'released')::text);
	RETURN true;
END
$$;

-- Open ⇄ closed.  A closed conversation leaves the list of open ones; a
-- person writing again reopens it (message_receive).  Reopening fails when
-- the person has already started another open conversation on the channel.
CREATE FUNCTION conversation_set_state(p_conv bigint, p_state text)
RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	IF p_state = 'open' AND EXISTS (SELECT 1 FROM conversations o,
	    conversations c WHERE c.id = p_conv AND o.channel = c.channel
	      AND o.thread = c.thread AND o.state = 'open' AND o.id <> c.id) THEN
		RETURN false;
	END IF;
	UPDATE conversations c SET state = p_state,
	    closed_at = CASE WHEN p_state = 'closed' THEN now() END,
	    unread = CASE WHEN p_state = 'closed' THEN 0 ELSE c.unread END,
	    waiting_since = CASE WHEN p_state = 'closed' THEN NULL
	        ELSE c.waiting_since END
	    WHERE c.id = p_conv AND c.state <> p_state;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	PERFORM pg_notify('inbox', json_build_object('conversation', p_conv,
	    'event', p_state)::text);
	RETURN true;
END
$$;

-- The conversation (and every message of it) belongs to the ticket from
-- now on, and the ticket's history says so.  Repeatable: a conversation
-- already linked to this ticket is left as it is.  A conversation linked
-- to another ticket is not moved: NULL.  Else the ticket's id.
CREATE FUNCTION conversation_link_ticket(p_conv bigint, p_ticket bigint,
    p_actor integer, p_actor_label text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	v_channel	text;
	v_old		bigint;
BEGIN
	SELECT c.channel, c.ticket_id INTO v_channel, v_old FROM conversations c
	    WHERE c.id = p_conv FOR UPDATE;
	IF NOT FOUND OR NOT EXISTS (SELECT 1 FROM tickets t WHERE t.id = p_ticket) THEN
		RETURN NULL;
	END IF;
	IF v_old IS NOT NULL THEN
		RETURN CASE WHEN v_old = p_ticket THEN p_ticket END;
	END IF;
	UPDATE conversations SET ticket_id = p_ticket WHERE id = p_conv;
	UPDATE messages SET ticket_id = p_ticket
	    WHERE conversation_id = p_conv AND ticket_id IS NULL;
	INSERT INTO ticket_events (ticket_id, actor_id, actor_label, kind, public,
	    note, payload)
	VALUES (p_ticket, p_actor, p_actor_label, 'note', false,
	    'Gắn cuộc trò chuyện #' || p_conv || ' (' || v_channel || ')',
	    jsonb_build_object('conversation_id', p_conv, 'channel', v_channel));
	PERFORM pg_notify('inbox', json_build_object('conversation', p_conv,
	    'event', 'ticket', 'ticket', p_ticket)::text);
	RETURN p_ticket;
END
$$;

-- A conversation's words as a ticket's content: who said what, when, oldest
-- first, cut at the ticket's limit (TICKET_CONTENT_MAX_CHARS in ticket.h).
CREATE FUNCTION conversation_transcript(p_conv bigint, p_max integer DEFAULT 5000)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT left(coalesce(string_agg(
	    to_char(m.created_at, 'DD/MM/YYYY HH24:MI') || ' ' ||
	    CASE WHEN m.direction = 'in' THEN coalesce(nullif(m.sender, ''), 'Người dân')
	        ELSE coalesce(u.full_name, 'Tổng đài 1022') END || ': ' || m.body,
	    E'\n' ORDER BY m.id), ''), p_max)
	FROM messages m LEFT JOIN users u ON u.id = m.author_id
	WHERE m.conversation_id = p_conv AND m.kind = 'message'
$$;
