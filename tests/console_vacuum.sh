#!/bin/sh
# The VACUUM (ANALYZE) after a backfill has a line of its own in the
# progress panel: while it waits for its lock, behind whom; then its phase
# and blocks from pg_stat_progress_vacuum. Quitting during it cancels it;
# the next step runs it again and finishes the phase.
set -eu
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/home"

load_users 20000
cat >"$W/plans/0001_prefs.yaml" <<'YAML'
operations:
  - add_column:
      table: users
      column: {name: preferences, type: jsonb}
      up: build_json_from_legacy(id)
YAML
"$PGSTEP" -P "$W/plans" step 0001_prefs >/dev/null 2>"$W/expand.log" || { cat "$W/expand.log"; fail "expand failed"; }
# A slow VACUUM for pgstep's new sessions: a cost delay after every page.
q "ALTER DATABASE postgres SET vacuum_cost_delay = '20ms'; ALTER DATABASE postgres SET vacuum_cost_limit = 1" >/dev/null

# A session holding users in SHARE UPDATE EXCLUSIVE mode, as an autovacuum does.
mkfifo "$W/holder.in"
psql -X -q -v ON_ERROR_STOP=1 <"$W/holder.in" >"$W/holder.out" 2>&1 &
holder=$!
exec 3>"$W/holder.in"
echo "SET application_name = 'holder'; BEGIN; LOCK TABLE users IN SHARE UPDATE EXCLUSIVE MODE; SELECT 'locked';" >&3
wait_until 30 grep -q locked "$W/holder.out" || fail "the test could not lock users"
holder_pid=$(q "SELECT pid FROM pg_locks WHERE relation = 'users'::regclass AND mode = 'ShareUpdateExclusiveLock' AND granted")

# (without fd 3: the tmux server would keep the holder's input open)
tmux_start 110 30 env HOME="$W/home" "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans" 3>&-
tmux_wait_re '0001_prefs +expand +ok '
tmux_keys s
tmux_wait_re "VACUUM \\(ANALYZE\\) \"public\".\"users\" \\(pid [0-9]+\\): waiting for its lock, held by pid $holder_pid \\(holder\\)" 60
tmux_wait_for "vacuum and analyze users waits for its lock, without lock_timeout"
ok "the progress panel shows the VACUUM waiting for its lock, held by pid $holder_pid"

echo "COMMIT;" >&3
exec 3>&-
wait "$holder" || fail "the lock holder failed: $(cat "$W/holder.out")"
tmux_wait_re 'VACUUM \(ANALYZE\) public.users: .*(scanning heap|vacuuming [a-z]+|cleaning up indexes|truncating heap|performing final cleanup|acquiring sample rows), blocks [0-9]+/[1-9][0-9]*' 60
ok "then its phase and blocks, from pg_stat_progress_vacuum"

# q during the VACUUM: it is cancelled, the phase stays at its last step.
tmux_keys q
tmux_wait_for "quit? the backfill keeps its checkpoint [y/n]"
tmux_keys y
tmux_wait_for "[pgstep exited with status 0]" 60
[ "$(q "SELECT running || ' ' || progress || ' ' || status FROM pgstep.migrations")" = "backfill 1 running" ] ||
	fail "after q during the VACUUM: $(q "SELECT running, progress, status FROM pgstep.migrations")"
[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'VACUUM%' AND pid <> pg_backend_pid()")" = 0 ] ||
	fail "the VACUUM still runs after pgstep left"
q "ALTER DATABASE postgres RESET vacuum_cost_delay; ALTER DATABASE postgres RESET vacuum_cost_limit" >/dev/null
"$PGSTEP" -P "$W/plans" step 0001_prefs >/dev/null 2>"$W/resume.log" || { cat "$W/resume.log"; fail "the resumed step failed"; }
grep -qF "resuming backfill at step 2 of 2" "$W/resume.log" || { cat "$W/resume.log"; fail "the step did not resume at the VACUUM"; }
[ "$(q "SELECT phase || ' ' || status FROM pgstep.migrations")" = "backfill ok" ] || fail "the backfill phase did not finish"
ok "q cancels the VACUUM; the next step runs it again and finishes the phase"
