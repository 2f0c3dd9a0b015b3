#!/bin/sh
# Two consoles with the same HOME: the lines each runs on its `:` line
# all end up in ~/.pgstep_history; the second to save does not overwrite
# what the first saved (the file is merged under a lock). A new console
# recalls them with Up.
set -eu
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/home"
H=$W/home/.pgstep_history

q "CREATE TABLE t (id int PRIMARY KEY)" >/dev/null
cat >"$W/plans/0001_note.yaml" <<'YAML'
operations:
  - add_column:
      table: t
      column: {name: note, type: text, nullable: true}
YAML

tmux_start 100 30 env HOME="$W/home" LC_ALL=C.UTF-8 "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans"
# The second console: a second session on the same tmux server.
tmux_cmd new-session -d -s second -x 100 -y 30 \
	"env HOME='$W/home' LC_ALL=C.UTF-8 TERM=screen '$PGSTEP' -d '$PGTEST_CONNINFO' -P '$W/plans'; sleep 3600"
screen_b() { tmux_cmd capture-pane -p -t second; }
b_has() { screen_b | grep -qF -- "$1"; }
keys_b() { tmux_cmd send-keys -t second "$@"; }

tmux_wait_re '0001_note +- +pending'
wait_until 20 b_has "0001_note" || fail "the second console did not open"

# Both open their line before either saves: each read the file empty.
tmux_keys :
keys_b :
tmux_type refresh
tmux_keys Enter
tmux_wait_for "reloading plans and state"
keys_b -l 'interval 2'
keys_b Enter
wait_until 20 b_has "lock waits refreshed every 2s" || fail "the second console did not run its command"
tmux_keys :
tmux_type 'interval 3'
tmux_keys Enter
tmux_wait_for "lock waits refreshed every 3s"

# libedit's file: a cookie line, then one line each (blanks as \040).
[ -f "$H" ] || fail "no $H"
for line in 'refresh' 'interval\\0402' 'interval\\0403'; do
	grep -qx "$line" "$H" || { cat "$H"; fail "$H lacks \"$line\": a console overwrote another's history"; }
done
ok "lines from both consoles are all in ~/.pgstep_history"

tmux_keys q
tmux_wait_for "[pgstep exited with status 0]"
keys_b q
wait_until 20 sh -c "! tmux -S '$TMUX_DIR/sock' -f /dev/null capture-pane -p -t second | grep -q 'Migrations ('" ||
	fail "the second console did not quit"
tmux_stop

# A new console recalls them, newest first.
tmux_start 100 30 env HOME="$W/home" LC_ALL=C.UTF-8 "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans"
tmux_wait_re '0001_note +- +pending'
tmux_keys : Up
tmux_wait_re '^:interval 3 *$'
tmux_keys Up
tmux_wait_re '^:interval 2 *$'
tmux_keys Up
tmux_wait_re '^:refresh *$'
tmux_keys C-g
ok "a new console recalls all three with Up"
tmux_keys q
tmux_wait_for "[pgstep exited with status 0]"
