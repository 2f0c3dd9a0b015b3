#!/bin/sh
# :set in the console: `:set batch_target=1ms` reaches the running
# backfill (the log says so and the batch falls to its floor), `:set
# batch_size=N` fixes the size as :batch does, and a setting that is not
# live is refused on the status line.
set -eu
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/home"
load_users 20000
# Every row costs at least 0.2 ms: a backfill long enough to change.
q "CREATE FUNCTION slow_upper(t text) RETURNS text LANGUAGE sql AS 'SELECT upper(t) FROM pg_sleep(0.0002)'" >/dev/null
cat >"$W/plans/0001_upper.yaml" <<'YAML'
settings:
  batch_size: 100
  batch_target: 200ms
operations:
  - add_column:
      table: users
      column: {name: name_upper, type: text}
      up: slow_upper(name)
YAML
batch_is() { [ "$(q "SELECT batch_size FROM pgstep.backfill")" = "$1" ]; }

tmux_start 120 30 env HOME="$W/home" "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans"
tmux_wait_re '0001_upper +- +pending'
tmux_keys :
tmux_type "run 0001_upper backfill"
tmux_keys Enter
wait_until 60 progressed_past 0 || tmux_fail "the backfill made no progress"

tmux_keys :
tmux_type "set lock_timeout=1s"
tmux_keys Enter
tmux_wait_for "set lock_timeout=1s: lock_timeout is not a live setting"
ok ":set of a setting that is not live is refused on the status line"

tmux_keys :
tmux_type "set batch_size=23"
tmux_keys Enter
wait_until 30 batch_is 23 || tmux_fail "the backfill did not take :set batch_size=23 (batch $(q "SELECT batch_size FROM pgstep.backfill"))"
ok ":set batch_size=23 fixes the batch size"

tmux_keys :
tmux_type "set batch_size=default batch_target=1ms"
tmux_keys Enter
tmux_wait_for "set batch_target=1ms: batch_target=1ms"
wait_until 30 batch_is 10 || tmux_fail "the backfill did not adapt to batch_target=1ms (batch $(q "SELECT batch_size FROM pgstep.backfill"))"
ok ":set batch_target=1ms reaches the running backfill: the log says so, the batch falls to 10"

tmux_stop
