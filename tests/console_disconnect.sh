#!/bin/sh
# The server goes away: the header says DISCONNECTED with the reason, the
# console keeps answering keys, and it says connected again once the server
# is back.
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

tmux_start 100 30 env HOME="$W/home" "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans"
tmux_wait_re '0001_prefs +- +pending'
tmux_wait_for "connected"

pg_as_owner "$PG_BINDIR/pg_ctl" -D "$PGTEST_DIR/data" -m fast -w stop >/dev/null
tmux_wait_for "DISCONNECTED: " 30
ok "the header says DISCONNECTED when the server stops"

tmux_keys '?'
tmux_wait_for "pgstep help"
tmux_keys q
tmux_wait_for "DISCONNECTED: "
ok "keys still answer while disconnected"

pg_restart 2>/dev/null
tmux_wait_gone "DISCONNECTED" 60
tmux_wait_for "connected"
tmux_wait_re '0001_prefs +- +pending'
ok "connected again once the server is back"

tmux_keys q
tmux_wait_for "[pgstep exited with status 0]"
