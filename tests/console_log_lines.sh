#!/bin/sh
# The log shows one line per statement: its step's summary, attempts,
# lock wait and duration, not the start of its SQL. Enter on such a line
# shows the whole statement, wrapped to the screen with no character
# lost, under that summary line.
set -eu
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/home"

load_users 1000
cat >"$W/plans/0001_prefs.yaml" <<'YAML'
operations:
  - add_column:
      table: users
      column: {name: preferences, type: jsonb}
      up: build_json_from_legacy(id)
YAML

tmux_start 150 60 env HOME="$W/home" LC_ALL=C.UTF-8 "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans"
tmux_wait_re '0001_prefs +- +pending'
tmux_keys s
tmux_wait_re "  expand +done "
L='^ [0-9]{2}:[0-9]{2}:[0-9]{2} S '
tmux_wait_re "${L}add column preferences to users: 1 attempt, lock wait [0-9]+ ms, [0-9]+ ms\$"
tmux_wait_re "${L}create function _pgstep_users_preferences_fill .*: 1 attempt, lock wait [0-9]+ ms, [0-9]+ ms\$"
tmux_wait_re "${L}create trigger _pgstep_users_preferences_fill on users: 1 attempt, lock wait [0-9]+ ms, [0-9]+ ms\$"
if tmux_screen | grep -E "$L" | grep -qE "ALTER TABLE|CREATE "; then
	tmux_fail "a statement's log line shows SQL"
fi
ok "each statement is one summary line with attempts, lock wait and duration"

# Enter on the function's line (the log's selection starts at the
# newest), on a narrower screen.
COLS=90
tmux_resize $COLS 60
tmux_keys Tab Tab
tmux_wait_for "Log ("
tmux_screen | grep -E '^ [0-9]{2}:[0-9]{2}:[0-9]{2} [ISWE] ' >"$W/log"
n=$(wc -l <"$W/log")
at=$(grep -n "create function _pgstep_users_preferences_fill" "$W/log" | cut -d: -f1)
[ -n "$at" ] || tmux_fail "no create function line in the log"
i=$((n - at))
while [ "$i" -gt 0 ]; do tmux_keys Up; i=$((i - 1)); done
tmux_keys Enter
tmux_wait_for "Log line of "
tmux_wait_for "Statement"
tmux_wait_re "^   create function _pgstep_users_preferences_fill "
# Its line, wrapped: the attempts and the lock wait come with it.
tmux_screen | sed -n '/^   create function/,/^ *$/p' | tr -s ' \n' ' ' |
	grep -qE "create function _pgstep_users_preferences_fill .*: 1 attempt, lock wait [0-9]+ ms, [0-9]+ ms" ||
	tmux_fail "the view does not give the statement's attempts and lock wait"

# The statement as pgstep.steps recorded it, against the screen: the same
# characters in the same order (blanks aside: wrapping moves them), and
# its longest line was wider than the screen.
q "SELECT sql FROM pgstep.steps WHERE migration = '0001_prefs' AND summary LIKE 'create function%' AND error IS NULL" >"$W/sql"
[ -s "$W/sql" ] || fail "no recorded statement"
longest=$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$W/sql")
[ "$longest" -gt "$COLS" ] || fail "the statement's longest line ($longest) fits in $COLS columns: nothing to wrap"
tmux_screen | sed -n '/^ Statement *$/,$p' | sed '1d;$d' >"$W/shown"
tr -d ' \n\t' <"$W/sql" >"$W/sql.chars"
tr -d ' \n\t' <"$W/shown" >"$W/shown.chars"
if ! cmp -s "$W/sql.chars" "$W/shown.chars"; then
	echo "recorded: $(cat "$W/sql.chars")" >&2
	echo "shown:    $(cat "$W/shown.chars")" >&2
	tmux_fail "the statement shown is not the whole statement"
fi
ok "Enter shows the whole statement ($(wc -c <"$W/sql.chars") characters, lines up to $longest wide, wrapped at $COLS)"

# The view's footer names its keys, from the key table.
tmux_screen | tail -n 1 | grep -qF "Up/Down PgUp/PgDn scroll  q, Esc or Enter closes" ||
	tmux_fail "the view's footer does not name its keys"
tmux_keys Escape
tmux_wait_gone "Log line of "
tmux_keys q
tmux_wait_for "[pgstep exited with status 0]"
