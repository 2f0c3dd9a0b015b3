#!/bin/sh
# The switch gate (postpone_switch, postpone_switch_flag_file): `run --to
# contract` backfills, then waits before the switch with the sync trigger
# working, until `pgstep release` or the flag file's removal opens it; a
# release from a role that may not run migrations is refused.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"
load_users 3000

cat >"$W/plans/0001_upper.yaml" <<'YAML'
settings:
  postpone_switch: true
operations:
  - add_column:
      table: users
      column: {name: name_upper, type: text}
      up: upper(name)
YAML

gated() { [ "$(q "SELECT gate_since IS NOT NULL AND phase = 'backfill' AND running IS NULL FROM pgstep.migrations WHERE name = '$1'")" = t ]; }
done_() { [ "$(q "SELECT phase FROM pgstep.migrations WHERE name = '$1'")" = contract ]; }
log_has() { grep -q "$2" "$1"; }

# 1. The gate holds, and the sync trigger keeps working while it does.
"$PGSTEP" -P "$W/plans" run 0001_upper --to contract 2>"$W/run1.log" &
run=$!
wait_until 60 gated 0001_upper || { cat "$W/run1.log"; fail "the run did not stop at the switch gate"; }
kill -0 $run 2>/dev/null || { cat "$W/run1.log"; fail "the run exited instead of waiting at the gate"; }

"$PGSTEP" -P "$W/plans" status >"$W/status.txt" || fail "pgstep status failed"
grep -q "0001_upper .*gated .*waiting at the switch gate since " "$W/status.txt" ||
	{ cat "$W/status.txt"; fail "status does not say the migration waits at the gate"; }
"$PGSTEP" -P "$W/plans" status --json >"$W/status.json" || fail "pgstep status --json failed"
grep -q '"status":"gated"' "$W/status.json" || { cat "$W/status.json"; fail "status --json: not gated"; }
grep -q '"gate_since":"[0-9-]*T[0-9:]*Z"' "$W/status.json" || { cat "$W/status.json"; fail "status --json: no gate_since"; }
ok "run waits at the switch gate, shown in status and status --json"

q "INSERT INTO users (id, name) VALUES (100001, 'written at the gate')" >/dev/null
q "UPDATE users SET name = 'renamed at the gate' WHERE id = 7" >/dev/null
[ "$(q "SELECT name_upper FROM users WHERE id = 100001")" = "WRITTEN AT THE GATE" ] ||
	fail "an insert during the hold did not reach the new column"
[ "$(q "SELECT name_upper FROM users WHERE id = 7")" = "RENAMED AT THE GATE" ] ||
	fail "an update during the hold did not reach the new column"
[ "$(q "SELECT count(*) FROM users WHERE name_upper IS DISTINCT FROM upper(name)")" = 0 ] ||
	fail "rows whose new column is not upper(name) at the gate"
ok "writes during the hold reach the new column"

# 2. A release from a role that may not run migrations is refused: by
# pgstep release itself, and by the running pgstep for a request row that
# such a role managed to write (a grant made by mistake).
q "CREATE ROLE intruder LOGIN" >/dev/null
set +e
"$PGSTEP" -P "$W/plans" -d "user=intruder dbname=$PGDATABASE" release 0001_upper >"$W/intruder.out" 2>"$W/intruder.log"
rc=$?
set -e
[ $rc != 0 ] || { cat "$W/intruder.out" "$W/intruder.log"; fail "pgstep release from role intruder succeeded"; }
grep -q "not to intruder" "$W/intruder.log" || { cat "$W/intruder.log"; fail "pgstep release from role intruder failed without saying why"; }
q "GRANT USAGE ON SCHEMA pgstep TO intruder; GRANT INSERT ON pgstep.requests TO intruder;
   GRANT USAGE ON SEQUENCE pgstep.requests_id_seq TO intruder" >/dev/null
if psql -X -q -U intruder -c "INSERT INTO pgstep.requests (migration, request, request_by)
     VALUES ('0001_upper', 'release', 'postgres')" 2>"$W/forge.err"; then
	fail "role intruder signed a release with the owner's name"
fi
grep -q "violates check constraint" "$W/forge.err" || { cat "$W/forge.err"; fail "the forged release failed for another reason"; }
psql -X -q -v ON_ERROR_STOP=1 -U intruder -c \
	"INSERT INTO pgstep.requests (migration, request) VALUES ('0001_upper', 'release')" ||
	fail "role intruder could not write its request"
wait_until 30 log_has "$W/run1.log" "release request written by role intruder is refused" ||
	{ cat "$W/run1.log"; fail "the running pgstep did not refuse the intruder's release"; }
[ "$(q "SELECT count(*) FROM pgstep.requests")" = 0 ] || fail "the refused request was not consumed"
gated 0001_upper || fail "the intruder's release opened the gate"
kill -0 $run 2>/dev/null || { cat "$W/run1.log"; fail "the run exited after the intruder's release"; }
q "REVOKE ALL ON pgstep.requests FROM intruder; REVOKE ALL ON SEQUENCE pgstep.requests_id_seq FROM intruder;
   REVOKE ALL ON SCHEMA pgstep FROM intruder" >/dev/null
ok "a release from role intruder is refused (pgstep release exit $rc; one signed as the owner cannot be written, its own is dropped), the gate holds"

# 3. pgstep release from a second terminal opens it.
"$PGSTEP" -P "$W/plans" release 0001_upper >"$W/release.out" || fail "pgstep release failed"
wait $run || { cat "$W/run1.log"; fail "the run failed after the release"; }
done_ 0001_upper || { cat "$W/run1.log"; fail "the migration did not reach contract after the release"; }
log_has "$W/run1.log" "the switch gate opens" || fail "the log does not say the gate opened"
[ "$(q "SELECT count(*) FROM users WHERE name_upper IS DISTINCT FROM upper(name)")" = 0 ] ||
	fail "rows whose new column is not upper(name) after the switch"
ok "pgstep release opens the gate and the run reaches contract"

# 4. The flag file: created by the run, the gate opens when it is removed.
cat >"$W/plans/0002_lower.yaml" <<'YAML'
settings:
  postpone_switch_flag_file: gate.flag
operations:
  - add_column:
      table: users
      column: {name: name_lower, type: text}
      up: lower(name)
YAML
"$PGSTEP" -P "$W/plans" run 0002_lower --to contract 2>"$W/run2.log" &
run=$!
wait_until 60 gated 0002_lower || { cat "$W/run2.log"; fail "the flag-file run did not stop at the gate"; }
[ -f "$W/plans/gate.flag" ] || { cat "$W/run2.log"; fail "the run did not create the flag file"; }
kill -0 $run 2>/dev/null || { cat "$W/run2.log"; fail "the flag-file run exited instead of waiting"; }
rm "$W/plans/gate.flag"
wait $run || { cat "$W/run2.log"; fail "the flag-file run failed after the file was removed"; }
done_ 0002_lower || fail "the migration did not reach contract after the flag file was removed"
log_has "$W/run2.log" "flag file .*gate.flag is gone" || { cat "$W/run2.log"; fail "the log does not say the flag file opened the gate"; }
ok "removing the flag file opens the gate"

# 5. A run stopped at the gate (SIGINT) leaves the migration there; the
# next run waits there again, since the same time; `pgstep step` switches.
cat >"$W/plans/0003_len.yaml" <<'YAML'
settings:
  postpone_switch: true
operations:
  - add_column:
      table: users
      column: {name: name_len, type: integer}
      up: length(name)
YAML
"$PGSTEP" -P "$W/plans" run 0003_len --to contract 2>"$W/run3.log" &
run=$!
wait_until 60 gated 0003_len || { cat "$W/run3.log"; fail "0003 did not stop at the gate"; }
since=$(q "SELECT gate_since FROM pgstep.migrations WHERE name = '0003_len'")
kill -INT $run
set +e
wait $run
rc=$?
set -e
[ $rc != 0 ] || { cat "$W/run3.log"; fail "a run stopped at the gate exited 0"; }
log_has "$W/run3.log" "stopped at the switch gate; the next run waits there again" || { cat "$W/run3.log"; fail "the log does not say the run stopped at the gate"; }
gated 0003_len || fail "SIGINT took the migration off the gate"
"$PGSTEP" -P "$W/plans" status >"$W/status3.txt" || fail "pgstep status failed"
grep -q "0003_len .*gated .*stopped at the switch gate (since " "$W/status3.txt" || { cat "$W/status3.txt"; fail "status does not say 0003 stopped at the gate"; }
ok "SIGINT at the gate (exit $rc) leaves the migration there, and status says so"

"$PGSTEP" -P "$W/plans" run 0003_len --to contract 2>"$W/run3b.log" &
run=$!
held_gate() { [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgstep:0003_len:gate'")" = 1 ]; }
wait_until 60 held_gate || { cat "$W/run3b.log"; fail "the second run did not wait at the gate"; }
[ "$(q "SELECT gate_since FROM pgstep.migrations WHERE name = '0003_len'")" = "$since" ] || fail "the second run moved gate_since"
kill -INT $run
wait $run || true
"$PGSTEP" -P "$W/plans" step 0003_len >/dev/null 2>"$W/step3.log" || { cat "$W/step3.log"; fail "pgstep step at the gate failed"; }
[ "$(q "SELECT phase FROM pgstep.migrations WHERE name = '0003_len'")" = switch ] || fail "pgstep step did not switch"
ok "the next run waits at the gate again, since the same time; pgstep step switches at once"
