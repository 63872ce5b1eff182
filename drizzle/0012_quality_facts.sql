ALTER TABLE "transitions" ADD COLUMN "reopened" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "transitions" ADD COLUMN "moved_backwards" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Stored histories get the facts the import now derives: a move out of done (reopened) and a
-- move to an earlier status not from done (moved_backwards), each true from that transition on.
UPDATE "transitions" AS t SET "reopened" = x.reopened, "moved_backwards" = x.moved_backwards
FROM (
  SELECT item_id, seq,
    coalesce(bool_or(prev_category = 'done' AND category <> 'done') OVER w, false) AS reopened,
    coalesce(bool_or(prev_category <> 'done' AND position < prev_position) OVER w, false) AS moved_backwards
  FROM (
    SELECT s.item_id, s.seq, s.category, ws.position,
      lag(s.category) OVER p AS prev_category, lag(ws.position) OVER p AS prev_position
    FROM "transitions" s
    LEFT JOIN "workflow_statuses" ws ON ws.team_id = s.team_id AND ws.name = s.status
    WINDOW p AS (PARTITION BY s.item_id ORDER BY s.seq)
  ) y
  WINDOW w AS (PARTITION BY item_id ORDER BY seq)
) x
WHERE x.item_id = t.item_id AND x.seq = t.seq AND (x.reopened OR x.moved_backwards);
