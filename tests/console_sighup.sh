#!/bin/sh
# The SSH session drops (SIGHUP) while the console runs a backfill: the
# batch in flight finishes, the checkpoint is written, pgstep exits and
# leaves the terminal usable; the next start shows the migration paused
# where it stopped, and `s` resumes it from there.
set -eu
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/home"

load_users 300000
cat >"$W/plans/0001_prefs.yaml" <<'YAML'
settings:
  batch_size: 100
  batch_target: 5ms
operations:
  - add_column:
      table: users
      column: {name: preferences, type: jsonb}
      up: build_json_from_legacy(id)
YAML

tmux_start 100 30 env HOME="$W/home" "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans"
tmux_wait_re '0001_prefs +- +pending'
tmux_keys s
tmux_wait_for 'add column preferences to users: '
tmux_keys s
wait_until 60 progressed_past 1000 || tmux_fail "the backfill made no progress"

# The pgstep under this test's own pane: other tests run pgstep at the
# same time, and the newest pgstep on the machine may be theirs.
pane=$(tmux_cmd display -p -t "$TMUX_SESSION" '#{pane_pid}')
pid=$(ps -o pid= --ppid "$pane" | tr -d ' ' | head -n 1)
[ -n "$pid" ] || tmux_fail "cannot find the console's pid"
kill -HUP "$pid"
tmux_wait_re '\[pgstep exited with status [0-9]+\]' 30 || tmux_fail "the console did not exit on SIGHUP"
at=$(rows_done)
[ "$(q "SELECT running || ' ' || paused FROM pgstep.migrations")" = "backfill true" ] ||
	tmux_fail "after SIGHUP: $(q "SELECT running, paused FROM pgstep.migrations")"
[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'pgstep:%'")" = 0 ] ||
	tmux_fail "pgstep's sessions are still there after it exited"
ok "SIGHUP: exited at $at rows with the checkpoint written, recorded paused"

# The terminal is usable: the shell after it prints and takes input.
tmux_type "echo terminal-ok"
tmux_keys Enter
tmux_wait_for "terminal-ok" 10 || tmux_fail "the terminal was left broken"

tmux_stop
tmux_start 100 30 env HOME="$W/home" "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans"
tmux_wait_re '0001_prefs .*paused' 20 || tmux_fail "the next start does not show the migration paused"
ok "the next start shows it paused"
tmux_keys s
wait_until 60 progressed_past "$at" || tmux_fail "s did not resume the backfill"
[ "$(q "SELECT paused FROM pgstep.migrations")" = f ] || tmux_fail "still recorded paused after resuming"
ok "s resumes it from the checkpoint"
