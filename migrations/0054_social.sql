-- Zalo OA and Facebook Messenger (issue 9): a webhook's items into the
-- inbox, each once, with the first message of a conversation
-- acknowledged; and the workers told when the channels' settings change,
-- since they check webhook signatures with keys they keep in memory
-- (src/social_hook.c).  Adds to 0050; changes nothing of it.

-- Every worker reloads its webhook keys when a Zalo or Facebook setting
-- changes (LISTEN social_settings, through src/live.c).
CREATE FUNCTION social_settings_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF (TG_OP = 'DELETE' AND OLD.channel IN ('zalo', 'facebook')) OR
	   (TG_OP <> 'DELETE' AND NEW.channel IN ('zalo', 'facebook')) THEN
		PERFORM pg_notify('social_settings', '');
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER social_settings_changed
    AFTER INSERT OR UPDATE OR DELETE ON channel_settings
    FOR EACH ROW EXECUTE FUNCTION social_settings_changed();

-- The acknowledgement of seed 001 unless the province set its own
-- (channel_settings: the channel's ack_text).
CREATE FUNCTION social_ack_text(p_channel text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT s.value FROM channel_settings s
	    WHERE s.channel = p_channel AND s.name = 'ack_text'
	      AND btrim(s.value) <> ''),
	    'Tổng đài Thông tin dịch vụ công tỉnh Đồng Tháp đã nhận được '
	    'thông tin góp ý, phản ánh của Quý khách, xin cảm ơn')
$$;

-- A webhook's items (src/social.h: kind, event, user, id, text,
-- attachments, location, time), in one transaction.  Each goes through
-- message_receive(), which stores a delivery seen before as nothing new;
-- the first message of a conversation gets one acknowledgement, as
-- ack_allowed() permits.  Returns how many items were new and how many
-- acknowledgements were queued.
CREATE FUNCTION social_receive(p_channel text, p_items jsonb,
    OUT stored integer, OUT acks integer)
LANGUAGE plpgsql AS $$
DECLARE
	v_item		jsonb;
	v_kind		text;
	v_body		text;
	r		record;
BEGIN
	stored := 0;
	acks := 0;
	IF p_channel NOT IN ('zalo', 'facebook') THEN
		RAISE EXCEPTION 'social_receive: no such channel %', p_channel
		    USING ERRCODE = '22023';
	END IF;
	-- Two deliveries for one new person at once would both make their
	-- contact (message_receive() looks, then inserts): one waits for the
	-- other.  Everyone of the body is locked up front, in one order, so
	-- two bodies naming the same people cannot deadlock.
	PERFORM pg_advisory_xact_lock(hashtextextended(p_channel || ':' || u, 0))
	FROM (SELECT DISTINCT v->>'user' AS u
	    FROM jsonb_array_elements(p_items) v ORDER BY 1) s;
	FOR v_item IN SELECT * FROM jsonb_array_elements(p_items) LOOP
		v_kind := v_item->>'kind';
		v_body := coalesce(v_item->>'text', '');
		IF v_kind = 'event' THEN
			v_body := CASE v_item->>'event'
			    WHEN 'follow' THEN 'Người dân đã quan tâm trang.'
			    WHEN 'unfollow' THEN 'Người dân đã bỏ quan tâm trang.'
			    ELSE v_item->>'event' END;
		END IF;
		SELECT * INTO r FROM message_receive(p_channel, v_item->>'id',
		    v_item->>'user', NULL, NULL, v_body,
		    jsonb_strip_nulls(jsonb_build_object(
		        'event', v_item->'event',
		        'attachments', CASE WHEN jsonb_array_length(
		            coalesce(v_item->'attachments', '[]')) > 0
		            THEN v_item->'attachments' END,
		        'location', v_item->'location',
		        'time', v_item->'time')),
		    NULL, NULL, NULL, v_kind);
		IF NOT r.created THEN
			CONTINUE;
		END IF;
		stored := stored + 1;
		IF v_kind = 'message' AND NOT EXISTS (SELECT 1 FROM messages m
		    WHERE m.conversation_id = r.conversation_id
		      AND m.direction = 'out' AND m.kind = 'ack')
		    AND ack_allowed(p_channel, v_item->>'user') THEN
			PERFORM message_send(p_channel, v_item->>'user', 'ack',
			    NULL, social_ack_text(p_channel), r.conversation_id);
			acks := acks + 1;
		END IF;
	END LOOP;
END
$$;
