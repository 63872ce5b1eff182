-- Spec v1.1: finished_at is the last entry into the done *category* (the first transition of the
-- unbroken run of done statuses), no longer the last entry into a done status. Re-derive the
-- stored facts so a database imported under v1 reads v1.1 finishes without a re-import.
WITH runs AS (
	SELECT item_id, seq, at, category,
		count(*) FILTER (WHERE category <> 'done') OVER (PARTITION BY item_id ORDER BY seq) AS run
	FROM transitions
), firsts AS (
	SELECT item_id, seq,
		min(at) FILTER (WHERE category = 'done') OVER (PARTITION BY item_id, run) AS entered_done
	FROM runs
)
UPDATE transitions t SET finished_at = f.entered_done
FROM firsts f
WHERE t.item_id = f.item_id AND t.seq = f.seq AND t.category = 'done'
	AND t.finished_at IS DISTINCT FROM f.entered_done;
