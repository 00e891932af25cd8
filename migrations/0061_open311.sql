-- Linked with the province (issue 10): the portal's footer links to the
-- provincial portal and the public-service portal, settings an
-- administrator edits on /quan-tri/kenh under the channel "portal"
-- (src/channel_settings.c).  channel_settings' check (0050_channels.sql)
-- is redefined with that one channel added.

ALTER TABLE channel_settings DROP CONSTRAINT channel_settings_channel_check;
ALTER TABLE channel_settings ADD CONSTRAINT channel_settings_channel_check
    CHECK (channel IN ('email', 'chat', 'zalo', 'facebook', 'sms', 'notice',
	'portal'));
