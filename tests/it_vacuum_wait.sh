#!/bin/sh
# The VACUUM (ANALYZE) after a backfill waits for its lock (SHARE UPDATE
# EXCLUSIVE, which application writes do not conflict with) instead of
# retrying under lock_timeout: held by another session well past
# lock_timeout x lock_retries, it waits, writes go on meanwhile, and once
# the lock is released it succeeds in one attempt.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"

load_users 5000
# Three attempts of 100 ms: a VACUUM retried under lock_timeout gives up
# within about a second.
cat >"$W/plans/0001_prefs.yaml" <<'YAML'
settings:
  lock_timeout: 100ms
  lock_retries: 3
operations:
  - add_column:
      table: users
      column: {name: preferences, type: jsonb}
      up: build_json_from_legacy(id)
YAML
"$PGSTEP" -P "$W/plans" step 0001_prefs >/dev/null 2>"$W/expand.log" || { cat "$W/expand.log"; fail "expand failed"; }

# The session that holds the table: what an autovacuum, or anyone's
# VACUUM, ANALYZE or CREATE INDEX CONCURRENTLY, holds.
mkfifo "$W/holder.in"
psql -X -q -v ON_ERROR_STOP=1 <"$W/holder.in" >"$W/holder.out" 2>&1 &
holder=$!
exec 3>"$W/holder.in"
echo "BEGIN; LOCK TABLE users IN SHARE UPDATE EXCLUSIVE MODE; SELECT 'locked';" >&3
wait_until 30 grep -q locked "$W/holder.out" || fail "the test could not lock users"
holder_pid=$(q "SELECT pid FROM pg_locks WHERE relation = 'users'::regclass AND mode = 'ShareUpdateExclusiveLock' AND granted")
[ -n "$holder_pid" ] || fail "no session holds users in SHARE UPDATE EXCLUSIVE mode"

"$PGSTEP" -P "$W/plans" step 0001_prefs >"$W/backfill.out" 2>"$W/backfill.log" &
run=$!
# The VACUUM has waited for its lock for more than 3 s: longer than its
# three attempts of lock_timeout would have lasted.
vacuum_waits_long() {
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgstep:0001_prefs:backfill'
	        AND query LIKE 'VACUUM%' AND wait_event_type = 'Lock' AND now() - query_start > interval '3 s'")" = 1 ]
}
wait_until 60 vacuum_waits_long || { cat "$W/backfill.log"; fail "the VACUUM did not wait for its lock past lock_timeout x lock_retries"; }
grep -qF "vacuum and analyze users waits for its lock, without lock_timeout (application reads and writes do not conflict with it), held by pid $holder_pid" "$W/backfill.log" ||
	{ cat "$W/backfill.log"; fail "the log does not say the VACUUM waits, and for whom"; }
# The application writes meanwhile.
q "SET lock_timeout = '2s'; UPDATE users SET name = name || '.' WHERE id = 7" >/dev/null ||
	fail "a write to users was blocked while the VACUUM waited"
ok "the VACUUM waits for its lock (not retried under lock_timeout), naming the holder, while writes go on"

echo "COMMIT;" >&3
exec 3>&-
wait "$holder" || fail "the lock holder failed: $(cat "$W/holder.out")"
wait "$run" || { cat "$W/backfill.log"; fail "the backfill phase failed"; }
[ "$(q "SELECT phase || ' ' || status FROM pgstep.migrations WHERE name = '0001_prefs'")" = "backfill ok" ] ||
	fail "the migration is not at backfill ok"
[ "$(q "SELECT count(*) || ' ' || min(attempts) || ' ' || count(error) FROM pgstep.steps
        WHERE migration = '0001_prefs' AND sql LIKE 'VACUUM%'")" = "1 1 0" ] ||
	{ q "SELECT attempts, error FROM pgstep.steps WHERE sql LIKE 'VACUUM%'"; fail "the VACUUM took more than one attempt"; }
[ -n "$(q "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'users'")" ] ||
	fail "users was not analyzed"
ok "once the lock is released, the VACUUM succeeds in one attempt"
