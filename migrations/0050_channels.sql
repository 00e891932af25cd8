-- Channels (issue 9): e-mail, live chat, Zalo OA, Facebook Messenger and
-- SMS, all in one inbox.  A conversation is one exchange with one person on
-- one channel; every message of it, in or out, is a row of messages with
-- the channel's own id, so a webhook or a mail delivered twice is stored
-- once.  An operator makes a conversation into a ticket (or attaches it to
-- one) through ticket_submit(), the one way a ticket is made.
--
-- Outbound messages (replies, acknowledgements, notices to agencies and
-- citizens) are rows too: state 'pending' until a sender thread (outbox.c)
-- delivers them, with their attempts, next attempt and last error kept,
-- so a failed send is shown and retried, never dropped.

-- Walk-in visitors and letters are channels an operator types in.
ALTER TABLE tickets DROP CONSTRAINT tickets_channel_check;
ALTER TABLE tickets ADD CONSTRAINT tickets_channel_check CHECK (channel IN
    ('web', 'phone', 'email', 'chat', 'zalo', 'facebook', 'open311', 'walkin',
     'letter', 'other'));

-- The same person on several channels: linked by phone or e-mail when known.
ALTER TABLE contacts ADD COLUMN zalo_id text, ADD COLUMN facebook_psid text;
CREATE UNIQUE INDEX contacts_zalo ON contacts (zalo_id) WHERE zalo_id IS NOT NULL;
CREATE UNIQUE INDEX contacts_facebook ON contacts (facebook_psid)
    WHERE facebook_psid IS NOT NULL;
CREATE INDEX contacts_email ON contacts (lower(email)) WHERE email IS NOT NULL;

-- A province's credentials and addresses for each channel, set on the admin
-- pages (never in the repository).  A secret is never shown back in full.
CREATE TABLE channel_settings (
	channel		text NOT NULL CHECK (channel IN
			    ('email', 'chat', 'zalo', 'facebook', 'sms', 'notice')),
	name		text NOT NULL CHECK (name ~ '^[a-z0-9_]{1,40}$'),
	value		text NOT NULL CHECK (length(value) <= 4000),
	secret		boolean NOT NULL DEFAULT false,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	integer REFERENCES users (id),
	PRIMARY KEY (channel, name)
);

CREATE TABLE conversations (
	id		bigserial PRIMARY KEY,
	channel		text NOT NULL CHECK (channel IN ('email', 'chat', 'zalo', 'facebook')),
	-- Who is on the other side, in the channel's own terms: the e-mail
	-- address, the Zalo user id, the page-scoped id, the chat visitor.
	thread		text NOT NULL CHECK (length(thread) BETWEEN 1 AND 320),
	contact_id	bigint REFERENCES contacts (id),
	name		text,
	subject		text,
	state		text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
	claimed_by	integer REFERENCES users (id),
	claimed_at	timestamptz,
	ticket_id	bigint REFERENCES tickets (id),
	unread		integer NOT NULL DEFAULT 0,
	-- The oldest inbound message nobody has answered yet; NULL: none.
	waiting_since	timestamptz,
	last_message_at	timestamptz NOT NULL DEFAULT now(),
	created_at	timestamptz NOT NULL DEFAULT now(),
	closed_at	timestamptz
);
-- One open conversation per person and channel; a closed one stays as it was.
CREATE UNIQUE INDEX conversations_open ON conversations (channel, thread)
    WHERE state = 'open';
CREATE INDEX conversations_inbox ON conversations (last_message_at DESC)
    WHERE state = 'open';
CREATE INDEX conversations_ticket ON conversations (ticket_id) WHERE ticket_id IS NOT NULL;

CREATE TABLE messages (
	id		bigserial PRIMARY KEY,
	conversation_id	bigint REFERENCES conversations (id),
	ticket_id	bigint REFERENCES tickets (id),
	channel		text NOT NULL CHECK (channel IN ('email', 'chat', 'zalo', 'facebook', 'sms')),
	direction	text NOT NULL CHECK (direction IN ('in', 'out')),
	-- message: a person's words; ack: the automatic acknowledgement;
	-- notice: a ticket's news to an agency or a citizen; event: follow,
	-- unfollow, a visitor joining or leaving.
	kind		text NOT NULL DEFAULT 'message' CHECK (kind IN
			    ('message', 'ack', 'notice', 'event')),
	-- The channel's own id of the message (Message-ID, Zalo msg_id,
	-- Facebook mid, the chat client's id): a message seen twice is stored
	-- once.  Outbound: the id the provider gave it once sent.
	external_id	text CHECK (length(external_id) <= 998),
	-- Outbound: where it goes (address, user id, phone number).
	recipient	text CHECK (length(recipient) <= 320),
	author_id	integer REFERENCES users (id),
	sender		text,
	subject		text,
	body		text NOT NULL DEFAULT '' CHECK (length(body) <= 100000),
	-- The channel's extras: mail headers, attachment metadata, a location.
	payload		jsonb NOT NULL DEFAULT '{}',
	state		text NOT NULL CHECK (state IN
			    ('received', 'pending', 'sending', 'sent', 'failed')),
	attempts	integer NOT NULL DEFAULT 0,
	next_attempt_at	timestamptz,
	last_error	text,
	created_at	timestamptz NOT NULL DEFAULT clock_timestamp(),
	sent_at		timestamptz,
	CHECK ((direction = 'in') = (state = 'received'))
);
CREATE UNIQUE INDEX messages_external ON messages (channel, direction, external_id)
    WHERE external_id IS NOT NULL;
CREATE INDEX messages_conversation ON messages (conversation_id, id);
CREATE INDEX messages_ticket ON messages (ticket_id, id) WHERE ticket_id IS NOT NULL;
CREATE INDEX messages_due ON messages (next_attempt_at)
    WHERE state IN ('pending', 'sending');
CREATE INDEX messages_recipient ON messages (channel, recipient, created_at)
    WHERE direction = 'out';

-- Files that came with a message (an e-mail's attachment, a chat image),
-- stored as the portal's are: under var/uploads, checked the same way.
CREATE TABLE message_attachments (
	id		bigserial PRIMARY KEY,
	message_id	bigint NOT NULL REFERENCES messages (id),
	stored_name	text NOT NULL UNIQUE,
	original_name	text NOT NULL,
	mime		text NOT NULL,
	size		integer NOT NULL CHECK (size > 0),
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_attachments_message ON message_attachments (message_id);

-- An inbound message, stored once however often it is delivered.  It goes
-- into the conversation of any earlier message it answers (p_refs: an
-- e-mail's In-Reply-To and References), else into the person's open
-- conversation on the channel, else a new one.  The contact is found or
-- made by the channel's own id, then linked by phone or e-mail when given.
-- Tells every listener (NOTIFY inbox) so the operators' inbox moves at once.
CREATE FUNCTION message_receive(
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
	-- would each make the contact and the conversation.
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

-- An outbound message, queued for its channel's sender (outbox.c), which
-- is woken at once (NOTIFY outbox).  A chat message needs no sender: the
-- visitor's websocket carries it, so it is 'sent' as it is stored.
-- Answering a conversation ends its wait.
CREATE FUNCTION message_send(
	p_channel	text,
	p_recipient	text,
	p_kind		text,
	p_subject	text,
	p_body		text,
	p_conversation	bigint DEFAULT NULL,
	p_ticket	bigint DEFAULT NULL,
	p_author	integer DEFAULT NULL,
	p_payload	jsonb DEFAULT '{}',
	p_external_id	text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	v_msg		bigint;
BEGIN
	INSERT INTO messages (conversation_id, ticket_id, channel, direction, kind,
	    external_id, recipient, author_id, subject, body, payload, state,
	    next_attempt_at, sent_at)
	VALUES (p_conversation, p_ticket, p_channel, 'out', p_kind, p_external_id,
	    p_recipient, p_author, p_subject, p_body, coalesce(p_payload, '{}'),
	    CASE WHEN p_channel = 'chat' THEN 'sent' ELSE 'pending' END,
	    CASE WHEN p_channel = 'chat' THEN NULL ELSE now() END,
	    CASE WHEN p_channel = 'chat' THEN now() END)
	RETURNING id INTO v_msg;

	IF p_conversation IS NOT NULL THEN
		UPDATE conversations c SET last_message_at = now(),
		    waiting_since = CASE WHEN p_kind = 'message' THEN NULL
		        ELSE c.waiting_since END,
		    unread = CASE WHEN p_kind = 'message' THEN 0 ELSE c.unread END
		WHERE c.id = p_conversation;
		PERFORM pg_notify('inbox', json_build_object('conversation',
		    p_conversation, 'message', v_msg, 'channel', p_channel)::text);
	END IF;
	IF p_channel <> 'chat' THEN
		PERFORM pg_notify('outbox', v_msg::text);
	END IF;
	RETURN v_msg;
END
$$;

-- Acknowledgements to one recipient in the last hour: at most a few, so two
-- autoresponders can't answer each other for ever (RFC 3834).
CREATE FUNCTION ack_allowed(p_channel text, p_recipient text, p_max integer DEFAULT 3)
RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT count(*) < p_max FROM messages m
	WHERE m.channel = p_channel AND m.direction = 'out' AND m.kind = 'ack'
	  AND m.recipient = p_recipient AND m.created_at > now() - interval '1 hour'
$$;
