#!/bin/sh
# `pgstep status` (text and --json), run beside the pgstep that drives a
# backfill, shows its rows done, estimated total, percent, both rates and
# ETA; right after `pgstep pause` it says a pause is requested until the
# driving pgstep applies it at its next batch boundary, then paused. A
# backfill stopped and resumed says, when done, what this run did and in
# how long, times that add up (copying within the elapsed time).
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"

# slow_prefs sleeps about a millisecond a row (pg_sleep rounds up to one):
# 10,000 rows take at least 10 s, long enough to look at and to stop part
# way. lock_timeout 15s gives a batch 60 s of lock wait (4 x lock_timeout),
# so a batch blocked on purpose below stays blocked until the test lets go.
load_users 10000
q "CREATE FUNCTION slow_prefs(uid bigint) RETURNS jsonb LANGUAGE plpgsql STABLE
   AS \$\$ BEGIN PERFORM pg_sleep(0.0001); RETURN build_json_from_legacy(uid); END \$\$" >/dev/null
cat >"$W/plans/0001_prefs.yaml" <<'YAML'
settings:
  lock_timeout: 15s
  batch_size: 100
  batch_target: 200ms
operations:
  - add_column:
      table: users
      column: {name: preferences, type: jsonb}
      up: slow_prefs(id)
YAML

"$PGSTEP" -P "$W/plans" run 0001_prefs --to backfill >"$W/run1.log" 2>&1 &
run=$!
wait_until 60 progressed_past 500 || { cat "$W/run1.log"; fail "the backfill never got past 500 rows"; }

# ---- rows, rates and ETA, from another process ----
wait_until 30 progressed_past 1500 || fail "the backfill stalled"
"$PGSTEP" -P "$W/plans" status >"$W/status.txt" || { cat "$W/status.txt"; fail "status failed"; }
line=$(grep -E '^    backfill of users: ' "$W/status.txt") ||
	{ cat "$W/status.txt"; fail "status shows no backfill line for the running backfill"; }
echo "$line" | grep -qE '^    backfill of users: [1-9][0-9]* of about [1-9][0-9]* rows \([0-9]+\.[0-9]%\), [0-9]+ rows/s last second, [1-9][0-9]* smoothed, batch [1-9][0-9]*, ETA ([0-9]+m[0-9]{2}s|n/a|due)$' ||
	fail "the backfill line is not rows, total, percent, rates, batch and ETA: $line"
done_txt=$(echo "$line" | sed -E 's/.*: ([0-9]+) of about ([0-9]+) rows.*/\1/')
total_txt=$(echo "$line" | sed -E 's/.*: ([0-9]+) of about ([0-9]+) rows.*/\2/')
[ "$done_txt" -le "$total_txt" ] || fail "rows done $done_txt above the total $total_txt"
[ "$done_txt" -le "$(rows_done)" ] || fail "status shows $done_txt rows, more than the checkpoint's $(rows_done)"
ok "status shows the running backfill's rows, total, percent, rates, batch and ETA: $line"

"$PGSTEP" -P "$W/plans" status --json >"$W/status.json" || fail "status --json failed"
python3 - "$W/status.json" <<'PY' || { cat "$W/status.json"; fail "status --json lacks the backfill's progress"; }
import json, sys
m = [x for x in json.load(open(sys.argv[1])) if x["name"] == "0001_prefs"][0]
b = m["backfill"]
assert m["status"] == "running" and m["running"] == "backfill", m
assert b["table"] == "users", b
assert 0 < b["rows_done"] <= b["rows_total"], b
assert abs(b["percent"] - 100.0 * b["rows_done"] / b["rows_total"]) < 0.11, b
assert b["rate_avg"] > 0 and b["rate_last"] >= 0 and b["batch_size"] > 0, b
assert b["eta_seconds"] is None or b["eta_seconds"] >= 0, b
assert m["request"] is None, m
PY
ok "status --json gives the backfill's rows, total, percent, rates and ETA"

# ---- a pause is "requested" until the next batch boundary applies it ----
# A session holding the table in SHARE mode keeps the next batch's UPDATE
# waiting, so no batch boundary comes until the test lets go.
mkfifo "$W/holder.in"
psql -X -q -v ON_ERROR_STOP=1 <"$W/holder.in" >"$W/holder.out" 2>&1 &
holder=$!
exec 3>"$W/holder.in"
echo "BEGIN; LOCK TABLE users IN SHARE MODE; SELECT 'locked';" >&3
wait_until 30 grep -q locked "$W/holder.out" || fail "the test could not lock users"
batch_waits() {
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgstep:0001_prefs:backfill'
	        AND wait_event_type = 'Lock' AND query LIKE 'WITH s AS%'")" = 1 ]
}
wait_until 30 batch_waits || fail "the backfill's batch never waited for the table"
"$PGSTEP" -P "$W/plans" pause 0001_prefs >"$W/pause.out" || fail "pgstep pause failed"
"$PGSTEP" -P "$W/plans" status >"$W/status.txt" || fail "status failed"
grep -qE '^0001_prefs +expand +running .*pause requested, applied at the next batch boundary' "$W/status.txt" ||
	{ cat "$W/status.txt"; fail "right after pgstep pause, status does not say the pause is requested"; }
"$PGSTEP" -P "$W/plans" status --json >"$W/status.json" || fail "status --json failed"
python3 -c 'import json,sys; m=[x for x in json.load(open(sys.argv[1])) if x["name"]=="0001_prefs"][0]; assert m["request"]=="pause" and m["status"]=="running", m' "$W/status.json" ||
	{ cat "$W/status.json"; fail "status --json does not say the pause is requested"; }
ok "while the batch runs, status says the pause is requested (text and JSON)"

echo "COMMIT;" >&3
exec 3>&-
wait "$holder" || fail "the lock holder failed: $(cat "$W/holder.out")"
paused() { "$PGSTEP" -P "$W/plans" status | grep -qE '^0001_prefs +expand +paused '; }
wait_until 30 paused || { "$PGSTEP" -P "$W/plans" status; cat "$W/run1.log"; fail "the backfill was never shown paused"; }
"$PGSTEP" -P "$W/plans" status >"$W/status.txt" || fail "status failed"
grep -q "requested" "$W/status.txt" && { cat "$W/status.txt"; fail "status still says requested once paused"; }
grep -qE '^    backfill of users: [1-9][0-9]* of about [0-9]+ rows .*, 0 rows/s last second, .*\(paused\)$' "$W/status.txt" ||
	{ cat "$W/status.txt"; fail "the paused backfill's line does not show it paused, at 0 rows/s"; }
ok "once the batch ends, status shows the backfill paused, its rows kept, and no request"

# ---- stopped part way, resumed: this run's rows and times add up ----
# Batches of 100 from here: adaptive ones grow past the 3,000 rows left
# in a batch or two, and the run would end before the stop below.
"$PGSTEP" -P "$W/plans" set 0001_prefs batch_size=100 >/dev/null || fail "pgstep set batch_size=100 failed"
"$PGSTEP" -P "$W/plans" resume 0001_prefs >/dev/null || fail "pgstep resume failed"
wait_until 60 progressed_past 7000 || { cat "$W/run1.log"; fail "the resumed backfill never got past 7000 rows"; }
kill -INT $run
wait $run || true
before=$(rows_done)
[ "$before" -lt 10000 ] || fail "the first run finished before it could be stopped"
"$PGSTEP" -P "$W/plans" run 0001_prefs --to backfill >"$W/run2.log" 2>&1 || { cat "$W/run2.log"; fail "the resumed run failed"; }
done_line=$(grep -E 'backfill of users done: ' "$W/run2.log") || { cat "$W/run2.log"; fail "no done line"; }
echo "$done_line" | grep -qE "done: 10000 rows; this run [0-9]+ rows in [0-9.]+s \([0-9.]+s copying\), $before rows before it" ||
	fail "the done line does not say what this run did and what came before: $done_line"
set -- $(echo "$done_line" | sed -E 's/.*this run ([0-9]+) rows in ([0-9.]+)s \(([0-9.]+)s copying\).*/\1 \2 \3/')
[ $(( $1 + before )) = 10000 ] || fail "this run's $1 rows and the $before before do not make 10000: $done_line"
awk -v el="$2" -v cp="$3" 'BEGIN { exit !(cp <= el) }' || fail "copying ($3 s) is longer than the elapsed time ($2 s): $done_line"
ok "the resumed backfill's done line adds up: $done_line"
