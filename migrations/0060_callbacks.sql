-- Callbacks (issue 11): a supervisor gives an operator a call to return —
-- an abandoned call, a voicemail, or an answered call that has no ticket —
-- and the operator records how it went.  One open callback per call; every
-- step is a row of callback_events (who, when).

CREATE TABLE callbacks (
	id		bigserial PRIMARY KEY,
	call_id		bigint NOT NULL REFERENCES calls (id),
	operator_id	integer NOT NULL REFERENCES users (id),
	assigned_by	integer NOT NULL REFERENCES users (id),
	state		text NOT NULL DEFAULT 'owed'
			    CHECK (state IN ('owed', 'done', 'cancelled')),
	outcome		text CHECK (outcome IN
			    ('reached', 'no_answer', 'wrong_number', 'other')),
	note		text CHECK (length(note) <= 1000),
	created_at	timestamptz NOT NULL DEFAULT now(),
	closed_at	timestamptz,
	closed_by	integer REFERENCES users (id),
	CHECK ((state = 'done') = (outcome IS NOT NULL)),
	CHECK ((state = 'owed') = (closed_at IS NULL)),
	CHECK (outcome <> 'other' OR length(note) > 0)
);
-- At most one open callback per call: a second assignment is refused.
CREATE UNIQUE INDEX callbacks_open_call ON callbacks (call_id)
    WHERE state = 'owed';
-- What an operator owes (the list and the count in the menu).
CREATE INDEX callbacks_owed ON callbacks (operator_id, created_at)
    WHERE state = 'owed';

CREATE TABLE callback_events (
	id		bigserial PRIMARY KEY,
	callback_id	bigint NOT NULL REFERENCES callbacks (id),
	actor_id	integer NOT NULL REFERENCES users (id),
	kind		text NOT NULL CHECK (kind IN ('assigned', 'done', 'cancelled')),
	outcome		text,
	note		text,
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX callback_events_callback ON callback_events (callback_id, id);

-- Which calls are owed a call back, written once for the list and for the
-- assignment: the caller gave up waiting, left a message, or was answered
-- but nothing was written down.
CREATE FUNCTION call_needs_callback(p_disposition text, p_call_uuid uuid)
RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT p_disposition IN ('abandoned', 'voicemail')
	    OR (p_disposition = 'answered' AND NOT EXISTS
	    (SELECT 1 FROM tickets t WHERE t.call_uuid = p_call_uuid));
$$;

GRANT SELECT, INSERT, UPDATE ON callbacks TO app;
GRANT SELECT, INSERT ON callback_events TO app;
GRANT USAGE, SELECT ON SEQUENCE callbacks_id_seq, callback_events_id_seq TO app;
GRANT EXECUTE ON FUNCTION call_needs_callback(text, uuid) TO app;
