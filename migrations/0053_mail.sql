-- E-mail (issue 9): a mail from the center's mailbox filed into the inbox,
-- threaded by its ticket code as well as by its references, and answered
-- with the acknowledgement, in one transaction (mail_fetch.c calls it).
-- message_receive() and message_send() of 0050 are used as they are.

-- The acknowledgement's words: the setting ack_text (channel 'email'), else
-- seed 001's sentence with the province's name (setting province).
CREATE FUNCTION mail_ack_text() RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT coalesce(
	    (SELECT s.value FROM channel_settings s
	     WHERE s.channel = 'email' AND s.name = 'ack_text' AND s.value <> ''),
	    'Tổng đài Thông tin dịch vụ công tỉnh ' ||
	    coalesce((SELECT s.value FROM channel_settings s
	        WHERE s.channel = 'email' AND s.name = 'province' AND s.value <> ''),
	        'Đồng Tháp') ||
	    ' đã nhận được thông tin góp ý, phản ánh của Quý khách, xin cảm ơn.')
$$;

-- p_refs: In-Reply-To and References; p_code: a ticket code read in the
-- subject (NULL: none); p_person: the sender is a person (not an
-- autoresponder, a bounce or a list), so a new conversation is
-- acknowledged, at most 3 times an hour per address (RFC 3834).
CREATE FUNCTION mail_receive(
	p_external_id	text,
	p_from		text,
	p_name		text,
	p_subject	text,
	p_body		text,
	p_payload	jsonb,
	p_refs		text[],
	p_code		text,
	p_person	boolean)
RETURNS TABLE (conversation_id bigint, message_id bigint, created boolean,
    ack_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
	v_ticket	bigint;
	v_refs		text[] := coalesce(p_refs, '{}');
	v_conv		bigint;
	v_msg		bigint;
	v_created	boolean;
	v_ack		bigint;
BEGIN
	IF p_code IS NOT NULL THEN
		SELECT t.id INTO v_ticket FROM tickets t WHERE t.code = p_code;
	END IF;
	IF v_ticket IS NOT NULL THEN
		-- Into the ticket's conversation, through its newest mail.
		v_refs := v_refs || ARRAY(SELECT m.external_id FROM messages m
		    JOIN conversations c ON c.id = m.conversation_id
		    WHERE c.ticket_id = v_ticket AND c.channel = 'email'
		      AND m.channel = 'email' AND m.external_id IS NOT NULL
		    ORDER BY m.id DESC LIMIT 1);
	END IF;

	SELECT r.conversation_id, r.message_id, r.created
	    INTO v_conv, v_msg, v_created
	    FROM message_receive('email', p_external_id, p_from, p_name,
	        p_subject, p_body, p_payload, v_refs, NULL, p_from) r;
	IF NOT v_created THEN
		RETURN QUERY SELECT v_conv, v_msg, false, NULL::bigint;
		RETURN;
	END IF;

	IF v_ticket IS NOT NULL THEN
		UPDATE conversations c SET ticket_id = v_ticket
		    WHERE c.id = v_conv AND c.ticket_id IS NULL;
		UPDATE messages m SET ticket_id = v_ticket WHERE m.id = v_msg;
	END IF;

	IF p_person AND ack_allowed('email', p_from, 3) AND NOT EXISTS
	    (SELECT 1 FROM messages m WHERE m.conversation_id = v_conv
	     AND m.id <> v_msg) THEN
		v_ack := message_send('email', p_from, 'ack',
		    CASE WHEN coalesce(p_subject, '') ~* '^\s*re:' THEN p_subject
		        ELSE 'Re: ' || coalesce(p_subject, '') END,
		    mail_ack_text(), v_conv, v_ticket, NULL,
		    jsonb_build_object('in_reply_to', p_external_id,
		        'references', '<' || array_to_string(
		            coalesce(p_refs, '{}') || p_external_id, '> <') || '>'));
	END IF;
	RETURN QUERY SELECT v_conv, v_msg, true, v_ack;
END
$$;
