#!/bin/sh
# Live settings from a second terminal: `pgstep set NAME key=value` reaches
# the running backfill between batches (batch_size, batch_target); a
# setting that is not live, a value a plan may not hold, and a role that
# may not run migrations are refused; `pgstep show` marks the live ones.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"
load_users 20000
# Every row costs at least 0.2 ms: a backfill long enough to change.
q "CREATE FUNCTION slow_upper(t text) RETURNS text LANGUAGE sql AS 'SELECT upper(t) FROM pg_sleep(0.0002)'" >/dev/null
cat >"$W/plans/0001_upper.yaml" <<'YAML'
settings:
  batch_size: 100
  batch_target: 200ms
operations:
  - add_column:
      table: users
      column: {name: name_upper, type: text}
      up: slow_upper(name)
YAML

"$PGSTEP" -P "$W/plans" show 0001_upper >"$W/show.txt" || fail "pgstep show failed"
grep -q "batch_size 100\*, batch_target 200ms\*" "$W/show.txt" || { cat "$W/show.txt"; fail "show does not mark batch_size and batch_target live"; }
grep -q "lock_timeout 250ms," "$W/show.txt" || { cat "$W/show.txt"; fail "show does not list lock_timeout"; }
grep -q '\* live: `pgstep set NAME KEY=VALUE`' "$W/show.txt" || { cat "$W/show.txt"; fail "show does not say what * means"; }
ok "pgstep show marks the live settings"

# Refused before anything is written, running pgstep or not.
expect_refused() {
	set +e
	"$PGSTEP" -P "$W/plans" set 0001_upper "$1" >"$W/set.out" 2>"$W/set.err"
	rc=$?
	set -e
	[ $rc = 2 ] || { cat "$W/set.err"; fail "set $1: expected exit 2, got $rc"; }
	grep -q "$2" "$W/set.err" || { cat "$W/set.err"; fail "set $1: not told \"$2\""; }
}
expect_refused lock_timeout=1s "set lock_timeout=1s: lock_timeout is not a live setting"
expect_refused batch_target=0ms "set batch_target=0ms: .*batch_target"
expect_refused batch_size=lots "set batch_size=lots: .*batch_size"
expect_refused no_such=1 "no_such"
ok "a setting that is not live, a bad value and an unknown key are refused (exit 2)"

batch_is() { [ "$(q "SELECT batch_size FROM pgstep.backfill")" = "$1" ]; }
"$PGSTEP" -P "$W/plans" run 0001_upper --to backfill 2>"$W/run.log" &
run=$!
wait_until 60 progressed_past 0 || { cat "$W/run.log"; fail "the backfill made no progress"; }

"$PGSTEP" -P "$W/plans" set 0001_upper batch_size=37 >"$W/set.out" || fail "pgstep set batch_size failed"
grep -q "0001_upper: set batch_size=37 requested" "$W/set.out" || { cat "$W/set.out"; fail "set does not say what it asked"; }
wait_until 30 batch_is 37 || { cat "$W/run.log"; fail "the backfill did not take batch_size=37 (batch $(q "SELECT batch_size FROM pgstep.backfill"))"; }
grep -q "set batch_size=37 (pgstep set by postgres): batch_size=37" "$W/run.log" || { cat "$W/run.log"; fail "the log does not say batch_size was set"; }
ok "pgstep set batch_size=37 reaches the running backfill"

# Adaptive again, aiming at 1ms: a row costs more than 0.1 ms, so the
# batch falls to the floor of 10 rows.
"$PGSTEP" -P "$W/plans" set 0001_upper batch_size=default batch_target=1ms >"$W/set.out" || fail "pgstep set batch_target failed"
wait_until 30 batch_is 10 || { cat "$W/run.log"; fail "the backfill did not adapt to batch_target=1ms (batch $(q "SELECT batch_size FROM pgstep.backfill"))"; }
grep -q "set batch_target=1ms (pgstep set by postgres): batch_target=1ms" "$W/run.log" || { cat "$W/run.log"; fail "the log does not say batch_target was set"; }
ok "pgstep set batch_size=default batch_target=1ms: the batch adapts to the new target"

# The load limits are live settings too (one table, engine/live.c). A
# rate limit of 20 rows/s keeps the backfill running through what follows.
"$PGSTEP" -P "$W/plans" set 0001_upper max_rows_per_second=20 >"$W/set.out" || fail "pgstep set max_rows_per_second failed"
wait_until 30 grep -q "set max_rows_per_second=20 (pgstep set by postgres): max_rows_per_second=20" "$W/run.log" ||
	{ cat "$W/run.log"; fail "the log does not say max_rows_per_second was set"; }
ok "pgstep set max_rows_per_second=20 reaches the running backfill"

# Two sessions that stay active, over max_load.active_sessions=1 set live:
# the backfill is throttled; `plan` (the plan has no max_load) lifts it.
sleepers=""
for _i in 1 2; do
	PGAPPNAME=load psql -X -q -c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
	sleepers="$sleepers $!"
done
throttled_is() { [ "$(q "SELECT coalesce(throttled, '') FROM pgstep.backfill WHERE NOT done ORDER BY step LIMIT 1")" "$1" "$2" ]; }
throttled_by_load() { q "SELECT coalesce(throttled, '') FROM pgstep.backfill WHERE NOT done ORDER BY step LIMIT 1" | grep -qE '^active sessions [0-9]+ > 1$'; }
"$PGSTEP" -P "$W/plans" set 0001_upper max_load.active_sessions=1 >"$W/set.out" || fail "pgstep set max_load.active_sessions failed"
wait_until 30 throttled_by_load ||
	{ cat "$W/run.log"; fail "max_load.active_sessions=1 set live did not throttle the backfill ($(q "SELECT throttled FROM pgstep.backfill"))"; }
"$PGSTEP" -P "$W/plans" set 0001_upper max_load.active_sessions=plan >"$W/set.out" || fail "pgstep set max_load.active_sessions=plan failed"
wait_until 30 throttled_is = "" || { cat "$W/run.log"; fail "max_load.active_sessions=plan did not lift the throttle"; }
q "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'load'" >/dev/null
for _p in $sleepers; do wait "$_p" 2>/dev/null || true; done
grep -q "backfill of users throttled: active sessions [0-9]* > 1" "$W/run.log" || { cat "$W/run.log"; fail "the log does not say the backfill was throttled"; }
ok "pgstep set max_load.active_sessions=1 throttles the running backfill on 2 active sessions; =plan lifts it"

# A role that may not run migrations cannot write a set.
q "CREATE ROLE intruder LOGIN" >/dev/null
set +e
"$PGSTEP" -P "$W/plans" -d "user=intruder dbname=$PGDATABASE" set 0001_upper batch_size=100000 >"$W/intruder.out" 2>"$W/intruder.err"
rc=$?
set -e
[ $rc != 0 ] || fail "pgstep set from role intruder succeeded"
grep -q "not to intruder" "$W/intruder.err" || { cat "$W/intruder.err"; fail "pgstep set from role intruder: not told why"; }
batch_is 10 || fail "the intruder's set changed the batch"
ok "pgstep set from a role that may not run migrations is refused (exit $rc)"

"$PGSTEP" -P "$W/plans" set 0001_upper max_rows_per_second=plan batch_size=5000 >/dev/null || fail "pgstep set to finish failed"
wait $run || { cat "$W/run.log"; fail "the backfill failed"; }
[ "$(q "SELECT count(*) FROM users WHERE name_upper IS DISTINCT FROM upper(name)")" = 0 ] || fail "rows not backfilled"
ok "the backfill finishes with every row right"
