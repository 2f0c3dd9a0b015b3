#!/bin/sh
# The `:` line is a mode of the main loop, not a wait of its own: while it
# holds half a command, the clock in the header and the lock waits
# panel's poll time keep moving; the line keeps what was typed, and
# finishing it runs the command.
set -eu
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/home"

q "CREATE TABLE t (id int PRIMARY KEY)" >/dev/null
cat >"$W/plans/0001_note.yaml" <<'YAML'
operations:
  - add_column:
      table: t
      column: {name: note, type: text, nullable: true}
YAML

tmux_start 100 30 env HOME="$W/home" LC_ALL=C.UTF-8 "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans" --interval 1
tmux_wait_re '0001_note +- +pending'
tmux_wait_for "polled"

# What moves on its own: the header's clock, the monitor's poll time.
clock() { tmux_screen | head -n 1 | sed -n 's/.* \([0-9][0-9]:[0-9][0-9]:[0-9][0-9]\)  ? help.*/\1/p'; }
polled() { tmux_screen | sed -n 's/.*polled \([0-9:]*\) .*/\1/p' | head -n 1; }
# A line of the screen holds the half-typed command.
line_holds() { tmux_screen | grep -q "^:$1 *\$"; }
moved() {
	line_holds interv || return 1
	[ "$(clock)" != "$1" ] && [ "$(polled)" != "$2" ]
}

tmux_keys :
tmux_type interv
wait_until 10 line_holds interv || tmux_fail "the : line does not show what was typed"
c0=$(clock)
p0=$(polled)
[ -n "$c0" ] && [ -n "$p0" ] || tmux_fail "no clock ($c0) or poll time ($p0) on screen"
wait_until 10 moved "$c0" "$p0" ||
	tmux_fail "with the : line open, the clock stayed at $c0 or the poll time at $p0"
ok "while the : line holds \"interv\", the clock ($c0 -> $(clock)) and the lock waits ($p0 -> $(polled)) move"

# The rest of the command, then Enter: it runs.
tmux_type 'al 2'
wait_until 10 line_holds 'interval 2' || tmux_fail "the : line lost what was typed"
tmux_keys Enter
tmux_wait_for "lock waits refreshed every 2s"
tmux_wait_for "every 2s, polled"
ok "finishing the line runs it: :interval 2 took effect"

# Editing keys reach libedit: Left, Backspace, history.
tmux_keys :
tmux_type 'intervxl 3'
tmux_keys Left Left Left BSpace
tmux_type a
wait_until 10 line_holds 'interval 3' || tmux_fail "Left and Backspace did not edit the line"
tmux_keys Escape
tmux_wait_gone ':interval 3'
tmux_keys : Up
wait_until 10 line_holds 'interval 2' || tmux_fail "Up did not recall the last command"
tmux_keys C-g
ok "Left, Backspace, Esc, Up and ^G act on the line"

tmux_keys q
tmux_wait_for "[pgstep exited with status 0]"
