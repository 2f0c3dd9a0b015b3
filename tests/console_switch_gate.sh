#!/bin/sh
# The switch gate in the console: `:run NAME contract` on a plan with
# postpone_switch backfills, then shows WAITING at the switch gate with R
# offered in the footer; R asks y/n, and y opens the gate: the run
# switches and contracts.
set -eu
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/home"

load_users 2000
cat >"$W/plans/0001_upper.yaml" <<'YAML'
settings:
  postpone_switch: true
operations:
  - add_column:
      table: users
      column: {name: name_upper, type: text}
      up: upper(name)
YAML

gated() { [ "$(q "SELECT gate_since IS NOT NULL AND phase = 'backfill' AND running IS NULL FROM pgstep.migrations")" = t ]; }
phase_is() { [ "$(q "SELECT phase FROM pgstep.migrations")" = "$1" ]; }

tmux_start 120 30 env HOME="$W/home" "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans"
tmux_wait_re '0001_upper +- +pending'

tmux_keys :
tmux_type "run 0001_upper contract"
tmux_keys Enter
# a run into contract asks for the migration's name first
tmux_wait_for 'contract: no step of it destroys data; type "0001_upper" to run it:'
tmux_type "0001_upper"
tmux_keys Enter
tmux_wait_re 'WAITING: switch gate since [0-9-]+ [0-9:]+, R releases' 60
wait_until 10 gated || tmux_fail "the screen shows the gate, schema pgstep does not"
tmux_wait_re 'R +release'
phase_is backfill || tmux_fail "the run went past the gate on its own"
ok "the console shows WAITING at the switch gate, R offered"

tmux_keys R
tmux_wait_for "open the switch gate of 0001_upper: the switch starts now? [y/n]"
tmux_keys n
tmux_wait_for "cancelled"
phase_is backfill || tmux_fail "n opened the gate"
gated || tmux_fail "n took the migration off the gate"

tmux_keys R
tmux_wait_for "open the switch gate of 0001_upper: the switch starts now? [y/n]"
tmux_keys y
wait_until 60 phase_is contract || tmux_fail "R, y did not release the gate: phase $(q "SELECT phase FROM pgstep.migrations")"
tmux_wait_re '0001_upper +contract +done'
[ "$(q "SELECT count(*) FROM users WHERE name_upper IS DISTINCT FROM upper(name)")" = 0 ] ||
	tmux_fail "rows whose new column is not upper(name)"
ok "R asks y/n; n keeps the gate, y opens it and the run reaches contract"
tmux_stop
