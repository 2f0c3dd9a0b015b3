#!/bin/sh
# What the console says is true when it is over:
# - the status line's "running expand of ..." goes once expand is done,
#   "pausing at the next batch boundary" once the backfill is paused,
#   "resuming the backfill" once it runs again;
# - the worker's idle session stops naming the migration in
#   application_name once the migration's phase is over;
# - the phases panel shows the current run's times and attempts: none
#   after a rollback, the new run's alone after it runs again;
# - a batch size set with :batch holds over a rollback and a re-run, and
#   each backfill's first log line says it is fixed.
set -eu
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/home"

# slow_prefs sleeps about a millisecond a row: 4,000 rows take 4 s or more.
load_users 4000
q "CREATE FUNCTION slow_prefs(uid bigint) RETURNS jsonb LANGUAGE plpgsql STABLE
   AS \$\$ BEGIN PERFORM pg_sleep(0.0001); RETURN build_json_from_legacy(uid); END \$\$" >/dev/null
cat >"$W/plans/0001_prefs.yaml" <<'YAML'
settings:
  batch_size: 100
  batch_target: 200ms
operations:
  - add_column:
      table: users
      column: {name: preferences, type: jsonb}
      up: slow_prefs(id)
YAML

ROWS=30
tmux_start 110 $ROWS env HOME="$W/home" "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans"
tmux_wait_re '0001_prefs +- +pending'
# The status line is the one above the footer.
status_line() { tmux_screen | sed -n "$((ROWS - 1))p"; }
# A row of the phases panel, at the right: "expand   done   12ms  -  3".
phase_row() { tmux_screen | grep -oE "$1 +[a-zA-Z:-]+ +[0-9.a-z-]+ +[0-9.a-z-]+ +[0-9-]+\$" | head -n 1; }
phase_tries() { phase_row "$1" | awk '{ print $NF }'; }

# ---- expand: the status line, application_name, the phase's figures ----
tmux_keys s
tmux_wait_re "  expand +done +[0-9.]+[a-z]+ +([0-9.]+[a-z]+|-) +[0-9]+\$"
# Drawn from the same snapshot as the phases panel: expand is over.
status_line | grep -q "running expand of" &&
	tmux_fail "the status line still says \"running expand of\" once expand is done"
ok "the status line no longer says \"running expand of\" once expand is done"

pgstep_names_it() {
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'pgstep:0001_prefs:%'")" != 0 ]
}
not_named() { ! pgstep_names_it; }
wait_until 20 not_named ||
	tmux_fail "a session still has application_name $(q "SELECT application_name FROM pg_stat_activity WHERE application_name LIKE 'pgstep:0001_prefs:%'") after expand"
ok "once expand is over, no session's application_name names the migration"

tries1=$(phase_tries expand)
[ "$tries1" -ge 1 ] || tmux_fail "expand shows no attempts: $(phase_row expand)"
tmux_keys r
tmux_wait_for 'roll back expand of 0001_prefs? type its name to confirm:'
tmux_type '0001_prefs'
tmux_keys Enter
tmux_wait_re '0001_prefs +- +ok '
rolled_back_clean() { tmux_screen | grep -qE "  expand +next +- +- +-\$"; }
wait_until 20 rolled_back_clean ||
	tmux_fail "the rolled back expand still shows figures: $(phase_row expand)"
ok "after the rollback to pending, expand shows no time, lock wait or attempts"
tmux_keys s
tmux_wait_re "  expand +done +[0-9.]+[a-z]+ +([0-9.]+[a-z]+|-) +[0-9]+\$"
[ "$(phase_tries expand)" = "$tries1" ] ||
	tmux_fail "expand run again shows $(phase_tries expand) attempts, not its own $tries1"
ok "expand run again shows its own $tries1 attempts, not those of both runs"

# ---- the operator's batch size, and pause and resume ----
tmux_keys :
tmux_type 'batch 200'
tmux_keys Enter
tmux_wait_for "batch size set to 200 rows"
tmux_keys s
tmux_wait_for "backfill of users: about 4000 rows, fixed batches of 200 rows (set by the operator"
ok "the backfill's first log line says its batches are fixed at 200 rows"

tmux_wait_re 'RUNNING +backfill of 0001_prefs'
tmux_keys p
tmux_wait_re 'PAUSED +backfill of 0001_prefs'
status_line | grep -q "pausing at the next batch boundary" &&
	tmux_fail "the status line still says \"pausing at the next batch boundary\" once paused"
ok "the status line no longer says \"pausing at the next batch boundary\" once paused"
tmux_keys p
tmux_wait_re 'RUNNING +backfill of 0001_prefs'
status_line | grep -q "resuming the backfill" &&
	tmux_fail "the status line still says \"resuming the backfill\" once running"
ok "the status line no longer says \"resuming the backfill\" once running again"

tmux_wait_re "  backfill +done .*[0-9-]\$" 60
tmux_keys r
tmux_wait_for 'roll back backfill of 0001_prefs? type its name to confirm:'
tmux_type '0001_prefs'
tmux_keys Enter
tmux_wait_re '0001_prefs +expand +ok '
tmux_wait_for "0001_prefs: backfill rolled back"
tmux_keys s
# The log after the rollback: the new backfill's first line.
fixed_after_rollback() {
	tmux_screen | sed -n '/0001_prefs: backfill rolled back/,$p' |
		grep -qF "backfill of users: about 4000 rows, fixed batches of 200 rows"
}
wait_until 30 fixed_after_rollback ||
	tmux_fail "after the rollback, the backfill's first log line does not say its batches are fixed at 200"
tmux_wait_re 'batch 200 rows, [0-9]+ ms'
ok "after a rollback and a re-run, the batch size stays at 200 and the log says so"

tmux_wait_re "  backfill +done .*[0-9-]\$" 60
tmux_keys q
tmux_wait_for "[pgstep exited with status 0]"
