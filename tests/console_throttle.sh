#!/bin/bash
# The console while a backfill is throttled on load (issue 18): the
# progress panel says THROTTLED and the signal that holds it ("active
# sessions 3 > 2"), the phases panel says throttled, the time throttled
# shows under the ETA; with the load gone the backfill runs again.
set -eu
set -o pipefail
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/home"

load_users 20000
cat >"$W/plans/0001_prefs.yaml" <<'YAML'
settings:
  batch_size: 100
  max_load: {active_sessions: 2}
operations:
  - add_column:
      table: users
      column: {name: preferences, type: jsonb}
      up: build_json_from_legacy(id)
YAML

# Three sessions that stay active, over the limit of two.
for i in 1 2 3; do
	PGAPPNAME=load psql -X -q -c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
done
load_active() { [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'load' AND state = 'active'")" = 3 ]; }
wait_until 30 load_active || fail "the 3 load sessions never ran"

tmux_start 100 30 env HOME="$W/home" "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans"
tmux_wait_re '0001_prefs +- +pending'
tmux_keys s
tmux_wait_re '0001_prefs +expand '
tmux_keys s
tmux_wait_for "THROTTLED: active sessions 3 > 2"
tmux_wait_re 'backfill +throttled'
tmux_wait_re 'ETA +[^ ]+ +replica lag [^ ]+ +throttled [0-9][0-9.]*(ms|s|m[0-9]+s)'
tmux_wait_re ' 0 / [0-9]+ rows'
ok "the progress panel shows THROTTLED: active sessions 3 > 2, the phases panel throttled, the time throttled"

q "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'load'" >/dev/null
tmux_wait_gone "THROTTLED"
tmux_wait_re '  backfill +done ' 60
ok "with the load gone the backfill runs to its end"
tmux_keys q
