#!/bin/bash
# Throttling on load, against real signals (issue 18):
# - max_load.active_sessions: with more sessions running a query than the
#   limit (backgrounded pg_sleep calls), the backfill runs no batch,
#   `pgstep status` (text and --json) says THROTTLED and by what, and the
#   time throttled grows; once they end, the backfill finishes.
# - critical_load: over its limit for `checks` checks in a row, the
#   backfill phase fails and is rolled back as a failed phase is.
# - throttle_query: the DBA's SELECT holds the backfill while it returns
#   true; it runs read-only (a function that writes fails the phase).
set -eu
set -o pipefail
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"

# Tables t1..t4 of 3000 rows; slow_fill sleeps about a millisecond a row,
# so a backfill takes seconds: time enough for the signals to be seen.
q "CREATE FUNCTION slow_fill(id bigint) RETURNS integer LANGUAGE plpgsql STABLE
   AS \$\$ BEGIN PERFORM pg_sleep(0.0001); RETURN id % 7; END \$\$" >/dev/null
for t in t1 t2 t3 t4 t5 t6; do
	q "CREATE TABLE $t (id bigint PRIMARY KEY, v text);
	   INSERT INTO $t SELECT g, 'x' FROM generate_series(1, 3000) g; ANALYZE $t" >/dev/null
done
q "CREATE TABLE hold (why text); INSERT INTO hold VALUES ('test');
   CREATE TABLE bumps (n int);
   CREATE FUNCTION bump() RETURNS boolean LANGUAGE sql AS 'INSERT INTO public.bumps VALUES (1) RETURNING false'" >/dev/null

plan() {	# plan FILE TABLE SETTINGS...
	_f=$1 _t=$2
	shift 2
	{
		echo "settings:"
		echo "  batch_size: 100"
		for s in "$@"; do echo "  $s"; done
		echo "operations:"
		echo "  - add_column:"
		echo "      table: $_t"
		echo "      column: {name: n, type: integer}"
		echo "      up: slow_fill(id)"
	} >"$W/plans/$_f.yaml"
}

# Sessions that stay active: pg_sleep in background psql, named "load".
sleepers=""
start_load() {	# start_load N
	_i=0
	while [ $_i -lt "$1" ]; do
		PGAPPNAME=load psql -X -q -c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
		sleepers="$sleepers $!"
		_i=$((_i + 1))
	done
	wait_until 30 sh -c "[ \"\$(psql -X -At -c \"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'load' AND state = 'active'\")\" = $1 ]" ||
		fail "the $1 load sessions never all ran"
}
stop_load() {
	q "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'load'" >/dev/null
	for p in $sleepers; do wait "$p" 2>/dev/null || true; done
	sleepers=""
}

# json FIELD: the backfill's field in `pgstep status --json`, of 0001.
bf_json() {
	"$PGSTEP" -P "$W/plans" status --json >"$W/st.json" || return 1
	python3 - "$W/st.json" "$1" "$2" <<'PY'
import json, sys
m = [x for x in json.load(open(sys.argv[1])) if x["name"] == sys.argv[2]][0]
b = m.get("backfill") or {}
print(b.get(sys.argv[3]))
PY
}
throttled_by() { [ "$(bf_json "$1" throttled)" = "$2" ]; }
throttled_for() { [ "$(bf_json "$1" throttled_seconds)" -ge "$2" ]; }
checkpoint_rows() { q "SELECT coalesce(sum(rows_done), 0) FROM pgstep.backfill WHERE migration = '$1'"; }

# ---- max_load: throttled by 3 active sessions over a limit of 2 ----
plan 0001_t1 t1 "max_load: {active_sessions: 2}"
start_load 3
"$PGSTEP" -P "$W/plans" run 0001_t1 --to backfill >"$W/run1.log" 2>&1 &
run=$!
wait_until 60 throttled_by 0001_t1 "active sessions 3 > 2" ||
	{ cat "$W/run1.log" "$W/st.json"; fail "status --json never said the backfill is throttled by 3 active sessions"; }
[ "$(checkpoint_rows 0001_t1)" = 0 ] || fail "batches ran while 3 sessions were active: $(checkpoint_rows 0001_t1) rows"
wait_until 30 throttled_for 0001_t1 3 || { cat "$W/st.json"; fail "the time throttled did not grow to 3 s"; }
[ "$(checkpoint_rows 0001_t1)" = 0 ] || fail "batches ran while throttled: $(checkpoint_rows 0001_t1) rows"
"$PGSTEP" -P "$W/plans" status >"$W/st.txt" || fail "status failed"
grep -qE '^    backfill of t1: .*, THROTTLED: active sessions 3 > 2, throttled [0-9]+s$' "$W/st.txt" ||
	{ cat "$W/st.txt"; fail "status text does not say THROTTLED and by what"; }
ok "3 active sessions over max_load 2: no batch, status says THROTTLED: active sessions 3 > 2, time throttled grows"

stop_load
wait $run || { cat "$W/run1.log"; fail "the throttled backfill failed once the load went"; }
grep -q "backfill of t1 throttled: active sessions 3 > 2" "$W/run1.log" || { cat "$W/run1.log"; fail "no throttled line in the log"; }
grep -qE "backfill of t1 goes on after [0-9.]+s throttled" "$W/run1.log" || { cat "$W/run1.log"; fail "no line saying it goes on"; }
[ "$(q "SELECT count(*) FROM t1 WHERE n IS DISTINCT FROM id % 7")" = 0 ] || fail "t1 is not backfilled"
[ "$(q "SELECT phase || '/' || status FROM pgstep.migrations WHERE name = '0001_t1'")" = backfill/ok ] ||
	fail "0001_t1 is not at backfill/ok"
ok "the load gone, the backfill finished every row and the log says how long it was throttled"

# ---- critical_load: over 2 active sessions twice in a row aborts ----
plan 0002_t2 t2 "critical_load: {active_sessions: 2, checks: 2}"
start_load 3
if "$PGSTEP" -P "$W/plans" run 0002_t2 --to backfill >"$W/run2.log" 2>&1; then
	cat "$W/run2.log"
	fail "the backfill ran to its end over critical_load"
fi
stop_load
grep -q "backfill failed and was rolled back: critical load: active sessions 3 > 2, 2 checks in a row" "$W/run2.log" ||
	{ cat "$W/run2.log"; fail "the failure does not say critical load, the signal and the checks"; }
[ "$(q "SELECT phase || '/' || status || '/' || coalesce(running, '-') FROM pgstep.migrations WHERE name = '0002_t2'")" = expand/failed/- ] ||
	fail "0002_t2 is not back at expand, failed: $(q "SELECT phase, status, running FROM pgstep.migrations WHERE name = '0002_t2'")"
[ "$(q "SELECT count(*) FROM pgstep.backfill WHERE migration = '0002_t2'")" = 0 ] ||
	fail "the rolled-back backfill kept its checkpoint"
"$PGSTEP" -P "$W/plans" status >"$W/st.txt" || fail "status failed"
grep -qE '^0002_t2 +expand +failed .*critical load' "$W/st.txt" || { cat "$W/st.txt"; fail "status does not show 0002_t2 failed by critical load"; }
ok "critical_load passed on 2 checks in a row: the backfill phase failed and was rolled back (checkpoint gone, back at expand)"

# ---- throttle_query: holds while it returns true ----
plan 0003_t3 t3 "throttle_query: SELECT EXISTS (SELECT 1 FROM public.hold)"
"$PGSTEP" -P "$W/plans" run 0003_t3 --to backfill >"$W/run3.log" 2>&1 &
run=$!
wait_until 60 throttled_by 0003_t3 "throttle_query is true" ||
	{ cat "$W/run3.log" "$W/st.json"; fail "status --json never said throttle_query holds the backfill"; }
[ "$(checkpoint_rows 0003_t3)" = 0 ] || fail "batches ran while throttle_query was true"
q "DELETE FROM hold" >/dev/null
wait $run || { cat "$W/run3.log"; fail "the backfill failed once throttle_query was false"; }
[ "$(q "SELECT count(*) FROM t3 WHERE n IS DISTINCT FROM id % 7")" = 0 ] || fail "t3 is not backfilled"
ok "throttle_query held the backfill while true and let it go when false"

# ---- stopped while throttled, the backfill's row does not say throttled ----
q "INSERT INTO hold VALUES ('again')" >/dev/null
plan 0005_t5 t5 "throttle_query: SELECT EXISTS (SELECT 1 FROM public.hold)"
"$PGSTEP" -P "$W/plans" run 0005_t5 --to backfill >"$W/run5.log" 2>&1 &
run=$!
wait_until 60 throttled_by 0005_t5 "throttle_query is true" || { cat "$W/run5.log"; fail "0005_t5 was never throttled"; }
kill -INT $run
wait $run || true
[ "$(q "SELECT throttled IS NULL FROM pgstep.backfill WHERE migration = '0005_t5'")" = t ] ||
	fail "stopped while throttled, pgstep.backfill still says: $(q "SELECT throttled FROM pgstep.backfill WHERE migration = '0005_t5'")"
q "DELETE FROM hold" >/dev/null
ok "stopped while throttled: the backfill's row no longer says throttled"

# ---- throttle_query runs read-only ----
plan 0004_t4 t4 "throttle_query: SELECT public.bump()"
if "$PGSTEP" -P "$W/plans" run 0004_t4 --to backfill >"$W/run4.log" 2>&1; then
	cat "$W/run4.log"
	fail "a throttle_query that writes ran"
fi
grep -q "throttle_query failed: .*read-only transaction" "$W/run4.log" || { cat "$W/run4.log"; fail "the failure does not say read-only"; }
[ "$(q "SELECT count(*) FROM bumps")" = 0 ] || fail "the throttle_query wrote a row"
ok "a throttle_query that writes fails the phase in its read-only transaction; nothing written"

# ---- throttle_query has its own statement_timeout ----
plan 0006_t6 t6 "throttle_query: SELECT pg_sleep(5) IS NULL" "throttle_query_timeout: 100ms"
if "$PGSTEP" -P "$W/plans" run 0006_t6 --to backfill >"$W/run6.log" 2>&1; then
	cat "$W/run6.log"
	fail "a throttle_query that outlasts throttle_query_timeout ran"
fi
grep -q "throttle_query failed: .*statement timeout" "$W/run6.log" || { cat "$W/run6.log"; fail "the failure does not say statement timeout"; }
ok "a throttle_query over throttle_query_timeout (100ms) is cancelled and fails the phase"

# ---- pgstep show prints the load settings ----
cat >"$W/show.yaml" <<'YAML'
settings:
  max_load: {active_sessions: 25, wal_per_second: 50MB}
  critical_load: {active_sessions: 60, checks: 4}
  max_rows_per_second: 2000
  max_wal_per_second: 20MB
  throttle_query: SELECT false
operations:
  - add_column: {table: t1, column: {name: z, type: integer, nullable: true}}
YAML
"$PGSTEP" show "$W/show.yaml" >"$W/show.out" || { cat "$W/show.out"; fail "pgstep show failed"; }
grep -qF "max_load: active_sessions 25*, wal_per_second 50MB*" "$W/show.out" &&
	grep -qF "critical_load: active_sessions 60*, wal_per_second off*, replica_lag off*, checks 4*" "$W/show.out" &&
	grep -qF "max_rows_per_second 2000*, max_wal_per_second 20MB*, backfill_workers 1" "$W/show.out" &&
	grep -qF "throttle_query (timeout 1s): SELECT false" "$W/show.out" ||
	{ cat "$W/show.out"; fail "pgstep show does not print the load settings"; }
ok "pgstep show prints max_load, critical_load, the rate limits and throttle_query"
