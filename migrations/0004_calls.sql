-- Calls of the 1022 hotline, as the Janus plugin reports them
-- (docs/hotline-api.md, "Call events to Kore").  A call links to the ticket
-- the operator opened for it through tickets.call_uuid.

CREATE TABLE calls (
	id		bigserial PRIMARY KEY,
	event_id	uuid NOT NULL UNIQUE,		-- delivered twice = stored once
	call_uuid	uuid NOT NULL UNIQUE,
	sip_call_id	text NOT NULL,
	caller		text NOT NULL,
	callee		text NOT NULL,
	agent_ref	text,				-- the token's user id, as sent
	agent_id	integer REFERENCES users (id),
	disposition	text NOT NULL CHECK (disposition IN
			    ('answered', 'abandoned', 'voicemail', 'transferred')),
	hangup_by	text,
	codec		text,
	created_at	timestamptz NOT NULL,
	answered_at	timestamptz,
	ended_at	timestamptz NOT NULL,
	wait_seconds	integer NOT NULL CHECK (wait_seconds >= 0),
	talk_seconds	integer NOT NULL CHECK (talk_seconds >= 0),
	recording	text CHECK (recording ~ '^[0-9]{4}/[0-9]{2}/[0-9a-f-]{36}\.wav$'),
	received_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX calls_caller ON calls (caller, created_at DESC);
CREATE INDEX calls_created ON calls (created_at);

ALTER TABLE tickets ADD COLUMN call_uuid uuid;
CREATE INDEX tickets_call ON tickets (call_uuid) WHERE call_uuid IS NOT NULL;

-- Signed call events that cannot be stored (a field out of range, a newer
-- event type): kept whole for an administrator to look at, and
-- acknowledged, so one bad event cannot hold up the plugin's spool.
CREATE TABLE call_events_rejected (
	id		bigserial PRIMARY KEY,
	body		bytea NOT NULL,
	reason		text NOT NULL,
	received_at	timestamptz NOT NULL DEFAULT now()
);
