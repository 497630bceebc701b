-- command_counts.sql - termgate.command_counts (032_history_counts.sql)
-- and termgate.history_row_counts (034_history_row_counts.sql) kept in
-- step with command_history, in the transaction that writes it:
-- statement-level triggers read the statement's rows (its transition
-- tables) grouped by (user, host, command), and by user, and add or take
-- away their counts; TRUNCATE empties the counts.
--
-- Every statement locks the counts it changes in key order (an INSERT's
-- ON CONFLICT in the order of its SELECT, a DELETE's FOR UPDATE under
-- its ORDER BY), the commands' before the users': two transactions that
-- count some of the same commands or users (the supervisor's batches of
-- two sessions of one user, a purge batch beside them) wait for each
-- other and never deadlock. A user's count changes by the statement's
-- net rows, in one upsert (a user's count that reaches zero stays). A count that
-- reaches zero is deleted. When a delete took the newest use of a
-- command, last_used is read again from the rows left (user_norm, 005:
-- the user's rows of that command). An UPDATE is a delete of its old
-- rows and an insert of its new ones (termgate writes none; psql may).
-- SECURITY DEFINER: whoever writes command_history, its owner writes
-- the counts.
CREATE OR REPLACE FUNCTION termgate.count_commands() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		TRUNCATE termgate.command_counts, termgate.history_row_counts;
		RETURN NULL;
	END IF;
	IF TG_OP IN ('DELETE', 'UPDATE') THEN
		PERFORM FROM termgate.command_counts k
		WHERE (k.user_id, k.host_id, k.command_norm) IN
		    (SELECT o.user_id, o.host_id, o.command_norm
		    FROM old_rows o WHERE o.command_norm <> '')
		ORDER BY k.user_id, k.host_id, k.command_norm FOR UPDATE;
		WITH g AS (SELECT o.user_id, o.host_id, o.command_norm,
		    count(*) AS n, max(o.started_at) AS newest
		    FROM old_rows o WHERE o.command_norm <> ''
		    GROUP BY o.user_id, o.host_id, o.command_norm),
		d AS (DELETE FROM termgate.command_counts k USING g
		    WHERE (k.user_id, k.host_id, k.command_norm) =
		    (g.user_id, g.host_id, g.command_norm) AND k.uses <= g.n)
		UPDATE termgate.command_counts k SET uses = k.uses - g.n,
		    last_used = CASE WHEN g.newest < k.last_used
		    THEN k.last_used ELSE coalesce((SELECT max(c.started_at)
		    FROM termgate.command_history c
		    WHERE c.user_id = k.user_id
		    AND c.command_norm = k.command_norm
		    AND c.host_id = k.host_id), k.last_used) END
		FROM g WHERE (k.user_id, k.host_id, k.command_norm) =
		    (g.user_id, g.host_id, g.command_norm) AND k.uses > g.n;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO termgate.command_counts AS k
		SELECT n.user_id, n.host_id, n.command_norm, count(*),
		    max(n.started_at) FROM new_rows n
		WHERE n.command_norm <> ''
		GROUP BY n.user_id, n.host_id, n.command_norm
		ORDER BY n.user_id, n.host_id, n.command_norm
		ON CONFLICT (user_id, host_id, command_norm) DO UPDATE
		SET uses = k.uses + excluded.uses,
		    last_used = greatest(k.last_used, excluded.last_used);
	END IF;
	-- A statement names only the transition tables its trigger has.
	IF TG_OP = 'INSERT' THEN
		INSERT INTO termgate.history_row_counts AS r
		SELECT n.user_id, count(*) FROM new_rows n
		GROUP BY n.user_id ORDER BY n.user_id
		ON CONFLICT (user_id) DO UPDATE
		SET row_count = r.row_count + excluded.row_count;
	ELSIF TG_OP = 'DELETE' THEN
		INSERT INTO termgate.history_row_counts AS r
		SELECT o.user_id, -count(*) FROM old_rows o
		GROUP BY o.user_id ORDER BY o.user_id
		ON CONFLICT (user_id) DO UPDATE
		SET row_count = r.row_count + excluded.row_count;
	ELSE
		INSERT INTO termgate.history_row_counts AS r
		SELECT d.user_id, sum(d.n) FROM (
		    SELECT n.user_id, 1 AS n FROM new_rows n UNION ALL
		    SELECT o.user_id, -1 FROM old_rows o) d
		GROUP BY d.user_id HAVING sum(d.n) <> 0 ORDER BY d.user_id
		ON CONFLICT (user_id) DO UPDATE
		SET row_count = r.row_count + excluded.row_count;
	END IF;
	RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION termgate.count_commands() FROM PUBLIC;
CREATE OR REPLACE TRIGGER command_counts_insert
	AFTER INSERT ON termgate.command_history
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION termgate.count_commands();
CREATE OR REPLACE TRIGGER command_counts_delete
	AFTER DELETE ON termgate.command_history
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION termgate.count_commands();
CREATE OR REPLACE TRIGGER command_counts_update
	AFTER UPDATE ON termgate.command_history
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION termgate.count_commands();
CREATE OR REPLACE TRIGGER command_counts_truncate
	AFTER TRUNCATE ON termgate.command_history
	FOR EACH STATEMENT EXECUTE FUNCTION termgate.count_commands();
