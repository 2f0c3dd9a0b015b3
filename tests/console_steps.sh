#!/bin/sh
# Stepping a migration from the console: `s` runs expand and the log shows
# its statement; `s` again starts the backfill and rows done grows; `p`
# shows PAUSED and the rows stop; `:batch 1000` shows the new batch size,
# `+` and `-` double and halve it;
# `p` resumes; `r` rolls back only once the migration's name is typed;
# the step into contract asks for the name too.
set -eu
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/home"

# Small batches adapting to 5 ms: long enough a backfill to watch.
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

# Rows done as the backfill panel shows them: "12345 / 300000 rows".
rows_shown() {
	tmux_screen | sed -n 's/.* \([0-9][0-9]*\) \/ [0-9][0-9]* rows.*/\1/p' | head -n 1
}
rows_past() { _r=$(rows_shown); [ -n "$_r" ] && [ "$_r" -gt "$1" ]; }
# The lock panel's title says when the monitor last polled.
polled() { tmux_screen | sed -n 's/.*polled \([0-9:]*\) .*/\1/p' | head -n 1; }
polled_since() { _p=$(polled); [ -n "$_p" ] && [ "$_p" != "$1" ]; }
# A row of the phases panel: "backfill done   37.9s  -  4" (not a log line).
phase_is() {
	tmux_wait_re "  $1 +$2 +([0-9.]+[a-z]+|-) +([0-9.]+[a-z]+|-) " "${3:-20}"
}
wait_refreshes() {
	for _i in 1 2; do
		_p0=$(polled)
		wait_until 20 polled_since "$_p0" || tmux_fail "the monitor stopped refreshing"
	done
}

tmux_start 100 30 env HOME="$W/home" "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans"
tmux_wait_re '0001_prefs +- +pending'

tmux_keys s
tmux_wait_re 'S add column preferences to users: [0-9]+ attempts?, lock wait [0-9]+ ms, [0-9]+ ms'
phase_is expand done
tmux_wait_re '0001_prefs +expand '
ok "s runs expand; the log shows its ADD COLUMN step with its lock wait and duration"

tmux_keys s
tmux_wait_for "Backfill users"
tmux_wait_re ' [0-9]+ / [0-9]+ rows'
r0=$(rows_shown)
wait_until 30 rows_past "$r0" || tmux_fail "rows done did not grow from $r0"
ok "s starts the backfill and rows done grows ($r0 -> $(rows_shown))"

tmux_keys p
tmux_wait_re 'PAUSED +backfill of 0001_prefs'
wait_refreshes
r1=$(rows_shown)
wait_refreshes
r2=$(rows_shown)
[ "$r1" = "$r2" ] || tmux_fail "rows moved while paused: $r1 -> $r2"
[ "$(q "SELECT sum(rows_done) FROM pgstep.backfill")" = "$r2" ] ||
	tmux_fail "the screen shows $r2 rows, pgstep.backfill says $(q "SELECT sum(rows_done) FROM pgstep.backfill")"
ok "p shows PAUSED and rows stay at $r2 across monitor refreshes"

# Quitting while a phase is running asks first.
tmux_keys q
tmux_wait_for "quit? the backfill keeps its checkpoint [y/n]"
tmux_keys n
tmux_wait_for "cancelled"
# Rolling back a running phase is refused with the way out.
tmux_keys r
tmux_wait_for "roll back: backfill of 0001_prefs is paused"

# Paused, the next batch's size is shown; once running, the batch's own.
tmux_keys :
tmux_type 'batch 1000'
tmux_keys Enter
tmux_wait_re 'batch [0-9]+ rows, [0-9]+ ms, next 1000$'
tmux_keys +
tmux_wait_re 'next 2000$'
tmux_keys - -
tmux_wait_re 'next 500$'
tmux_keys +
tmux_wait_re 'next 1000$'
ok ":batch 1000 sets the next batch's size; + doubles it, - halves it"

tmux_keys p
tmux_wait_re 'RUNNING +backfill of 0001_prefs'
wait_until 30 rows_past "$r2" || tmux_fail "rows did not grow after resume"
tmux_wait_re 'batch 1000 rows, [0-9]+ ms *$'
ok "p resumes: rows grow past $r2 in batches of 1000"

phase_is backfill done 120
tmux_wait_re '0001_prefs +backfill '
[ "$(q "SELECT count(*) FROM users WHERE preferences IS DISTINCT FROM build_json_from_legacy(id)")" = 0 ] ||
	fail "rows left without their value after the backfill"

# r asks for the name; a wrong one rolls back nothing.
tmux_keys r
tmux_wait_for 'roll back backfill of 0001_prefs? type its name to confirm:'
tmux_type 'users'
tmux_keys Enter
tmux_wait_for 'not confirmed'
tmux_wait_re '0001_prefs +backfill '
tmux_keys r
tmux_wait_for 'roll back backfill of 0001_prefs? type its name to confirm:'
tmux_type '0001_prefs'
tmux_keys Enter
tmux_wait_re '0001_prefs +expand '
phase_is backfill next
[ "$(q "SELECT phase FROM pgstep.migrations WHERE name = '0001_prefs'")" = expand ] ||
	fail "pgstep.migrations does not say expand after the rollback"
ok "r rolls back the backfill only after the name is typed"

# On to switch; the step into contract asks for the name.
tmux_keys s
phase_is backfill done 120
tmux_keys s
phase_is switch done 60
tmux_keys s
tmux_wait_for 'contract: no step of it destroys data; type "0001_prefs" to run it:'
tmux_keys Escape
tmux_wait_for 'cancelled'
tmux_wait_re '0001_prefs +switch '
phase_is contract next
ok "contract asks for the migration's name; Esc runs nothing"

tmux_keys q
tmux_wait_for "[pgstep exited with status 0]"
