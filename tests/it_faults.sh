#!/bin/sh
# Faults: the server restarts during a backfill; pgstep is killed inside a
# DDL retry loop and between phases; a statement fails in the middle of a
# phase. Each time nothing is lost, nothing half-done is left, and
# `pgstep status` says where the migration stands.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/bad"

ROWS=150000
q "CREATE DATABASE ref" >/dev/null
q "CREATE DATABASE live" >/dev/null
load_users $ROWS ref
load_users $ROWS live
cat >"$W/plans/0001_prefs.yaml" <<'YAML'
settings:
  batch_size: 200
  batch_target: 5ms
  lock_timeout: 100ms
  lock_retries: 1000
operations:
  - add_column:
      table: users
      column: {name: preferences, type: jsonb, default: "'{}'", nullable: false}
      up: build_json_from_legacy(id) || jsonb_build_object('id', id)
YAML

live() { psql -X -At -d live -c "$1" 2>/dev/null; }
checksum() { psql -X -At -d "$1" -c "SELECT md5(string_agg(u::text, '|' ORDER BY id)) FROM users u"; }
no_pgstep_session() { [ "$(live "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'pgstep:%'")" = 0 ]; }

"$PGSTEP" -d "dbname=ref" -P "$W/plans" run 0001_prefs 2>"$W/ref.log" || { cat "$W/ref.log"; fail "reference run failed"; }

# 1. SIGKILL inside the DDL retry loop: a reader holds the table.
psql -X -q -d live -c "BEGIN" -c "SELECT count(*) FROM users" -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
reader=$!
reader_in_sleep() { [ "$(live "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(%' AND state = 'active'")" = 1 ]; }
wait_until 10 reader_in_sleep || fail "the reader did not start"
retrying() { [ "$(live "SELECT count(*) FROM pgstep.steps WHERE error LIKE '%lock%'")" -gt 0 ] || \
	[ "$(live "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgstep:0001_prefs:expand' AND wait_event_type = 'Lock'")" -gt 0 ]; }
"$PGSTEP" -d "dbname=live" -P "$W/plans" step 0001_prefs 2>"$W/kill1.log" &
pid=$!
wait_until 30 retrying || { cat "$W/kill1.log"; fail "the ALTER never waited for its lock"; }
kill -KILL $pid
wait $pid 2>/dev/null || true
kill $reader 2>/dev/null || true
live "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'" >/dev/null
wait_until 30 no_pgstep_session || fail "the killed session lingers"
[ "$(live "SELECT count(*) FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'preferences'")" = 0 ] ||
	fail "a half-done expand is left after SIGKILL in the retry loop"
"$PGSTEP" -d "dbname=live" -P "$W/plans" status >"$W/status1" || fail "status failed"
grep -q "^0001_prefs *pending *stopped .*run of expand interrupted after" "$W/status1" ||
	{ cat "$W/status1"; fail "status does not show the interrupted expand as stopped"; }
ok "SIGKILL in the DDL retry loop left nothing half done; status shows the interrupted expand"
# Another migration of users is refused, and the refusal says that the
# open one stopped (nobody runs it) rather than that it runs.
cat >"$W/other.yaml" <<'YAML'
operations:
  - create_index: {name: users_name_idx, table: users, columns: [name]}
YAML
set +e
"$PGSTEP" -d "dbname=live" -P "$W/plans" step "$W/other.yaml" 2>"$W/other.log"
rc=$?
set -e
[ $rc = 2 ] || { cat "$W/other.log"; fail "a second migration of users: expected exit 2 (refused), got $rc"; }
grep -qF "touches table users, which migration 0001_prefs (stopped in expand) has open" "$W/other.log" ||
	{ cat "$W/other.log"; fail "the refusal does not say that 0001_prefs stopped in expand"; }
ok "a second migration of users is refused, naming 0001_prefs as stopped in expand"

# 2. SIGKILL between phases: right after expand is recorded done.
"$PGSTEP" -d "dbname=live" -P "$W/plans" run 0001_prefs --to switch 2>"$W/kill2.log" &
pid=$!
expand_done() { [ "$(live "SELECT phase FROM pgstep.migrations")" = expand ]; }
wait_until 60 expand_done || { cat "$W/kill2.log"; fail "expand did not finish"; }
kill -KILL $pid
wait $pid 2>/dev/null || true
wait_until 30 no_pgstep_session || fail "the killed session lingers"
ok "killed between phases at $(live "SELECT phase || '/' || coalesce(running, '-') FROM pgstep.migrations")"

# 3. The server restarts in the middle of the backfill: pgstep reconnects
#    and resumes from the checkpoint.
"$PGSTEP" -d "dbname=live" -P "$W/plans" run 0001_prefs 2>"$W/restart.log" &
pid=$!
at=$(rows_done live)
wait_until 60 progressed_past $((at + 2000)) live || { cat "$W/restart.log"; fail "the backfill made no progress"; }
pg_restart fast
wait $pid || { cat "$W/restart.log"; fail "the run did not survive the server restart"; }
grep -q "reconnected; resuming" "$W/restart.log" || { cat "$W/restart.log"; fail "no reconnect happened: the test proved nothing"; }
[ "$(checksum live)" = "$(checksum ref)" ] || fail "after SIGKILLs and a server restart the table differs from the uninterrupted run"
[ "$(rows_done live)" = $ROWS ] || fail "checkpoint counts $(rows_done live) rows, expected $ROWS"
ok "server restart mid-backfill: reconnected, resumed, table equals the uninterrupted run"

# 4. A statement fails in the middle of a phase: its finished steps are
#    undone and status says what failed.
cat >"$W/bad/0002_broken.yaml" <<'YAML'
operations:
  - add_column:
      table: users
      column: {name: nickname, type: text, nullable: true}
  - sql:
      up: SELECT 1 / 0
      down: SELECT 1
YAML
before=$(schema_dump live)
set +e
"$PGSTEP" -d "dbname=live" -P "$W/bad" step 0002_broken 2>"$W/broken.log"
rc=$?
set -e
[ $rc = 1 ] || { cat "$W/broken.log"; fail "a failing statement: expected exit 1, got $rc"; }
grep -q "division by zero" "$W/broken.log" || { cat "$W/broken.log"; fail "the error is not shown"; }
grep -q "rolled back" "$W/broken.log" || { cat "$W/broken.log"; fail "not said that the phase was rolled back"; }
after=$(schema_dump live)
[ "$before" = "$after" ] || fail "the failed phase left its first step behind"
"$PGSTEP" -d "dbname=live" -P "$W/bad" status >"$W/status2"
grep -q "0002_broken *pending *failed .*division by zero" "$W/status2" || { cat "$W/status2"; fail "status does not say what failed"; }
ok "a failing statement mid-phase: finished steps undone, status says failed and why"
