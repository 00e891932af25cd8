-- One acknowledgement text for every written channel (seed 001): the
-- channel's own ack_text when the province set one, else the seed's
-- sentence with the province's name (channel 'notice', setting 'province',
-- on /quan-tri/kenh; Đồng Tháp by default).  0053's mail_ack_text() and
-- 0054's social_ack_text() each had a copy of the sentence.
CREATE FUNCTION ack_text(p_channel text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT coalesce(
	    (SELECT s.value FROM channel_settings s
	     WHERE s.channel = p_channel AND s.name = 'ack_text'
	       AND btrim(s.value) <> ''),
	    'Tổng đài Thông tin dịch vụ công tỉnh ' ||
	    coalesce((SELECT s.value FROM channel_settings s
	        WHERE s.channel = 'notice' AND s.name = 'province'
	          AND btrim(s.value) <> ''), 'Đồng Tháp') ||
	    ' đã nhận được thông tin góp ý, phản ánh của Quý khách, xin cảm ơn.')
$$;

CREATE OR REPLACE FUNCTION mail_ack_text() RETURNS text
LANGUAGE sql STABLE AS $$ SELECT ack_text('email') $$;

CREATE OR REPLACE FUNCTION social_ack_text(p_channel text) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT ack_text(p_channel) $$;
