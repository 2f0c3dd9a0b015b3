#!/bin/sh
# A migration another operator drives opens read-only: the list says who
# holds it, and the keys that change things are refused with that name;
# once the other operator's pgstep dies, the list says the migration
# stopped, and the keys resume it.
set -eu
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/home"

# pg_sleep makes every row take at least 0.1 ms, so that the backfill
# surely lasts (at least 10 s) past the moment the test kills it.
load_users 100000
cat >"$W/plans/0001_prefs.yaml" <<'YAML'
settings:
  batch_size: 100
  batch_target: 5ms
operations:
  - add_column:
      table: users
      column: {name: preferences, type: jsonb}
      up: (SELECT build_json_from_legacy(id) FROM pg_sleep(0.0001))
YAML

backend() { q "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgstep:0001_prefs:backfill'"; }
in_backfill() { [ -n "$(backend)" ]; }

# The other operator: a headless run through the backfill, paused so that
# it holds the migration for as long as the test needs.
"$PGSTEP" -P "$W/plans" run 0001_prefs --to backfill >"$W/other.log" 2>&1 &
other=$!
TMUX_KILL_PIDS=$other
wait_until 60 in_backfill || { cat "$W/other.log"; fail "the other operator never reached the backfill"; }
"$PGSTEP" -P "$W/plans" pause 0001_prefs >/dev/null || fail "pause from a second terminal failed"
recorded_paused() { [ "$(q "SELECT paused FROM pgstep.migrations WHERE name = '0001_prefs'")" = "$1" ]; }
wait_until 30 recorded_paused t || fail "the other operator's backfill never paused"
holder=$(backend)

tmux_start 100 30 env HOME="$W/home" "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans"
tmux_wait_re "0001_prefs .*held by pid $holder"
tmux_wait_for "READ-ONLY"
ok "the list says pid $holder holds 0001_prefs and the header says READ-ONLY"

tmux_keys s
tmux_wait_for "refused, read-only: 0001_prefs is held by pid $holder"
tmux_keys Escape
tmux_wait_gone "refused, read-only: 0001_prefs is held by"
tmux_keys r
tmux_wait_for "refused, read-only: 0001_prefs is held by pid $holder"
tmux_keys Escape
tmux_keys :
tmux_type "step 0001_prefs"
tmux_keys Enter
tmux_wait_for "refused, read-only: 0001_prefs is held by pid $holder"
ok "s, r and :step are refused, naming the holder"

# Keys that change nothing still work.
tmux_keys '?'
tmux_wait_for "pgstep help"
tmux_keys q
tmux_wait_for "Migrations (1)"

# The other operator's pgstep dies (its SSH session, say): the migration
# is ours to drive; the list says it stopped, and s resumes the backfill
# where its checkpoint is, then runs the next phase.
at=$(rows_done)
"$PGSTEP" -P "$W/plans" resume 0001_prefs >/dev/null || fail "resume from a second terminal failed"
wait_until 30 recorded_paused f || fail "the other operator's backfill was not recorded resumed"
wait_until 30 progressed_past "$at" || fail "the other operator's backfill did not resume"
kill -KILL $other
wait $other 2>/dev/null || true
[ "$(rows_done)" -lt 100000 ] || fail "the other operator's backfill finished before it could be killed"
tmux_wait_gone "READ-ONLY" 30
tmux_wait_re '0001_prefs +expand +stopped ' 30
ok "once the holder is killed, the list shows 0001_prefs stopped, and it is no longer read-only"
# s resumes the backfill. A pause request the other pgstep never took
# (sent just before it died: here written as `pgstep pause` writes it) was
# for that pgstep, and goes with it.
q "INSERT INTO pgstep.requests (migration, request, request_by) VALUES ('0001_prefs', 'pause', current_user)" >/dev/null
tmux_keys s
tmux_wait_for "the pause request left for the pgstep that held it before is dropped"
tmux_wait_re '0001_prefs +backfill +ok ' 120
[ "$(q "SELECT count(*) FROM users WHERE preferences IS DISTINCT FROM build_json_from_legacy(id)")" = 0 ] ||
	tmux_fail "rows left without their value after the resumed backfill"
tmux_keys s
tmux_wait_re "  switch +done " 60
ok "s resumes the stopped backfill (every row filled), then runs the next phase"

tmux_keys q
tmux_wait_for "[pgstep exited with status 0]"
