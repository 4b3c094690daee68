-- Adopting a channel found by name is safe only when this incident asked for
-- it. The purpose that marks a channel as the incident's is set after
-- conversations.create answers; when that answer is lost (or the bot dies
-- first) the channel exists with an empty purpose. The name each create asks
-- for is recorded here before the request goes out, so a retry adopts an
-- unmarked channel of the bot's only under the name it asked for itself, and
-- never one that was there already (e.g. from before a database reset).
ALTER TABLE incidents ADD COLUMN channel_asked text;
