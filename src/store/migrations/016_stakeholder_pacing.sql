-- Stakeholder posts are paced per destination (a channel, or a person's DM): at most one per
-- `stakeholders.min_interval`. Updates that wait meanwhile go out together as one digest post. The row is
-- locked while a post is decided, so replicas take turns.
CREATE TABLE stakeholder_pacing (
  destination  text PRIMARY KEY,
  last_post_at timestamptz NOT NULL
);
