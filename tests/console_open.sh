#!/bin/sh
# The console opens on a plan and lists it as pending; `?` shows every key
# of the key table and every `:` command; the command line answers an
# unknown command and keeps its history; the filter narrows the list; a
# resize to 80x24 is usable, to 60x15 says it is too small; q and SIGTERM
# leave a clean terminal.
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

console() {
	tmux_start 100 30 env HOME="$W/home" LC_ALL=C.UTF-8 "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans"
}

console
tmux_wait_re '0001_prefs +- +pending'
tmux_wait_for "PostgreSQL 15"
tmux_wait_for "connected"
tmux_wait_for "Lock waits (0)"
ok "opens and lists 0001_prefs as pending"

# Help: every key and command the binary declares, on one tall screen.
"$PGSTEP" --list-keys >"$W/keys"
[ "$(wc -l <"$W/keys")" -ge 19 ] || fail "--list-keys printed too little: $(cat "$W/keys")"
tmux_resize 110 60
tmux_keys '?'
tmux_wait_for "pgstep help"
tmux_screen >"$W/help"
n=0
while IFS="$(printf '\t')" read -r keys name help; do
	grep -qF -- "$keys" "$W/help" || tmux_fail "help does not show \"$keys\" ($name)"
	grep -qF -- "$help" "$W/help" || tmux_fail "help does not show the text of $name"
	n=$((n + 1))
done <"$W/keys"
ok "help shows all $n keys and commands of the key table"
# Its footer names the keys the view answers, as the key table names them.
grep -qF "Up/Down PgUp/PgDn scroll  q, Esc or Enter closes" "$W/help" ||
	tmux_fail "the help's footer does not name its keys"
ok "the help's footer names Up/Down, PgUp/PgDn, q, Esc and Enter"
tmux_keys q
tmux_wait_gone "pgstep help"
tmux_wait_for "Migrations (1)"
tmux_resize 100 30

# F1 opens it too, Esc closes it.
tmux_keys F1
tmux_wait_for "pgstep help"
tmux_keys Escape
tmux_wait_for "Migrations (1)"

# The command line: an unknown command is named; the line goes to history.
tmux_keys ':'
tmux_type 'frobnicate now'
tmux_keys Enter
tmux_wait_for 'unknown command "frobnicate"'
grep -q 'frobnicate' "$W/home/.pgstep_history" || fail "the command line did not save ~/.pgstep_history"
# Keys work again after the command line (the terminal modes came back).
tmux_keys '?'
tmux_wait_for "pgstep help"
tmux_keys q
tmux_wait_for "Migrations (1)"
ok "unknown command reported, history saved, keys answer after the command line"

# Tab completes a command name and a migration name.
tmux_keys ':'
tmux_type 'rollb'
tmux_keys Tab
tmux_type '0001'
tmux_keys Tab Enter
tmux_wait_for 'nothing to roll back: 0001_prefs is pending'
ok "Tab completes commands and migration names"

# The filter.
tmux_keys /
tmux_type zzz
tmux_wait_for "no migration matches the filter"
tmux_keys Escape
tmux_wait_for "Migrations (1)"
tmux_keys /
tmux_type prefs
tmux_keys Enter
tmux_wait_for "Migrations (1 of 1, /prefs)"
tmux_keys /
tmux_keys Escape
ok "/ filters the migrations"

# Sizes.
tmux_resize 80 24
tmux_wait_for "Migrations (1)"
tmux_wait_for "Lock waits (0)"
tmux_wait_for "Log ("
tmux_wait_re '0001_prefs +- +pending'
tmux_wait_for "q quit"
tmux_wait_for "? help"
tmux_resize 60 15
tmux_wait_for "terminal too small: 60x15, needs 80x24"
tmux_resize 100 30
tmux_wait_gone "terminal too small"
tmux_wait_for "Migrations (1)"
ok "80x24 is usable, 60x15 says it is too small, and it comes back"

# Keys not in the table say so.
tmux_keys Z
tmux_wait_for "Z: no such key"

tmux_keys q
tmux_wait_for "[pgstep exited with status 0]"
tmux_wait_gone "Migrations ("
ok "q quits with status 0 and leaves the normal screen"
tmux_stop

# SIGTERM: a clean exit too.
console
tmux_wait_re '0001_prefs +- +pending'
pane=$(tmux_cmd display -p -t "$TMUX_SESSION" '#{pane_pid}')
pid=$(ps -o pid= --ppid "$pane" | tr -d ' ' | head -n 1)
[ -n "$pid" ] || tmux_fail "no pgstep process under the pane"
kill -TERM "$pid"
tmux_wait_for "[pgstep exited with status 143]"
tmux_wait_gone "Migrations ("
ok "SIGTERM exits cleanly (status 143) and restores the terminal"
