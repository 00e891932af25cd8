-- message_receive() (0050) takes a lock per person and channel first: two
-- first messages of one new person at the same moment (two webhooks, two
-- chat frames, two mails fetched by two machines) each tried to make the
-- contact, and one failed on its unique index.

CREATE OR REPLACE FUNCTION message_receive(
	p_channel	text,
	p_external_id	text,
	p_thread	text,
	p_name		text,
	p_subject	text,
	p_body		text,
	p_payload	jsonb DEFAULT '{}',
	p_refs		text[] DEFAULT NULL,
	p_phone		text DEFAULT NULL,
	p_email		text DEFAULT NULL,
	p_kind		text DEFAULT 'message')
RETURNS TABLE (conversation_id bigint, message_id bigint, created boolean)
LANGUAGE plpgsql AS $$
DECLARE
	v_conv		bigint;
	v_msg		bigint;
	v_contact	bigint;
BEGIN
	-- One person's messages one at a time: two first messages at once
	-- would each make the contact and the conversation.  The same key as
	-- social_receive()'s, which takes it first for a whole webhook body.
	PERFORM pg_advisory_xact_lock(hashtextextended(p_channel || ':' || p_thread, 0));

	IF p_external_id IS NOT NULL THEN
		SELECT m.conversation_id, m.id INTO v_conv, v_msg FROM messages m
		    WHERE m.channel = p_channel AND m.direction = 'in'
		      AND m.external_id = p_external_id;
		IF FOUND THEN
			RETURN QUERY SELECT v_conv, v_msg, false;
			RETURN;
		END IF;
	END IF;

	-- The person, by the channel's own id first.
	IF p_channel = 'zalo' THEN
		SELECT c.id INTO v_contact FROM contacts c WHERE c.zalo_id = p_thread;
	ELSIF p_channel = 'facebook' THEN
		SELECT c.id INTO v_contact FROM contacts c WHERE c.facebook_psid = p_thread;
	END IF;
	IF v_contact IS NULL AND p_phone IS NOT NULL THEN
		SELECT c.id INTO v_contact FROM contacts c WHERE c.phone = p_phone;
	END IF;
	IF v_contact IS NULL AND coalesce(p_email, CASE WHEN p_channel = 'email'
	    THEN p_thread END) IS NOT NULL THEN
		SELECT c.id INTO v_contact FROM contacts c
		    WHERE lower(c.email) = lower(coalesce(p_email, p_thread))
		    ORDER BY c.id LIMIT 1;
	END IF;
	IF v_contact IS NULL AND p_channel <> 'chat' THEN
		INSERT INTO contacts (name, phone, email, zalo_id, facebook_psid)
		VALUES (p_name, p_phone,
		    coalesce(p_email, CASE WHEN p_channel = 'email' THEN p_thread END),
		    CASE WHEN p_channel = 'zalo' THEN p_thread END,
		    CASE WHEN p_channel = 'facebook' THEN p_thread END)
		RETURNING id INTO v_contact;
	ELSIF v_contact IS NOT NULL THEN
		UPDATE contacts c SET name = coalesce(c.name, p_name),
		    phone = coalesce(c.phone, p_phone),
		    email = coalesce(c.email, p_email),
		    zalo_id = coalesce(c.zalo_id,
		        CASE WHEN p_channel = 'zalo' THEN p_thread END),
		    facebook_psid = coalesce(c.facebook_psid,
		        CASE WHEN p_channel = 'facebook' THEN p_thread END)
		WHERE c.id = v_contact;
	END IF;

	IF p_refs IS NOT NULL AND cardinality(p_refs) > 0 THEN
		SELECT m.conversation_id INTO v_conv FROM messages m
		    WHERE m.channel = p_channel AND m.external_id = ANY (p_refs)
		      AND m.conversation_id IS NOT NULL
		    ORDER BY m.id DESC LIMIT 1;
	END IF;
	IF v_conv IS NULL THEN
		SELECT c.id INTO v_conv FROM conversations c
		    WHERE c.channel = p_channel AND c.thread = p_thread AND c.state = 'open';
	END IF;
	IF v_conv IS NULL THEN
		INSERT INTO conversations AS c (channel, thread, contact_id, name, subject)
		VALUES (p_channel, p_thread, v_contact, p_name, p_subject)
		ON CONFLICT (channel, thread) WHERE state = 'open'
		DO UPDATE SET name = coalesce(c.name, EXCLUDED.name)
		RETURNING c.id INTO v_conv;
	END IF;

	INSERT INTO messages AS m (conversation_id, channel, direction, kind,
	    external_id, sender, subject, body, payload, state)
	VALUES (v_conv, p_channel, 'in', p_kind, p_external_id, p_name, p_subject,
	    coalesce(p_body, ''), coalesce(p_payload, '{}'), 'received')
	ON CONFLICT (channel, direction, external_id) WHERE external_id IS NOT NULL
	DO NOTHING
	RETURNING m.id INTO v_msg;
	IF v_msg IS NULL THEN		-- the same delivery, racing this one
		SELECT m.conversation_id, m.id INTO v_conv, v_msg FROM messages m
		    WHERE m.channel = p_channel AND m.direction = 'in'
		      AND m.external_id = p_external_id;
		RETURN QUERY SELECT v_conv, v_msg, false;
		RETURN;
	END IF;

	UPDATE conversations c SET
	    unread = c.unread + CASE WHEN p_kind = 'message' THEN 1 ELSE 0 END,
	    waiting_since = CASE WHEN p_kind = 'message'
	        THEN coalesce(c.waiting_since, now()) ELSE c.waiting_since END,
	    last_message_at = now(),
	    contact_id = coalesce(c.contact_id, v_contact),
	    -- A person writing again to a closed thread reopens it.
	    state = 'open', closed_at = NULL
	WHERE c.id = v_conv;

	PERFORM pg_notify('inbox', json_build_object('conversation', v_conv,
	    'message', v_msg, 'channel', p_channel)::text);
	RETURN QUERY SELECT v_conv, v_msg, true;
END
$$;
