#!/bin/sh
# Stepping from the console lints the plan first, as headless step does:
# what would lock or rewrite a table is in the log before it runs, and it
# still runs.
set -eu
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/home"
q "CREATE TABLE t (id int PRIMARY KEY, name text)" >/dev/null
cat >"$W/plans/0001_index.yaml" <<'YAML'
operations:
  - raw_sql:
      expand:
        up: CREATE INDEX t_name_idx ON t (name)
        down: DROP INDEX t_name_idx
YAML
tmux_start 120 30 env HOME="$W/home" "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans"
tmux_wait_re '0001_index +- +pending'
tmux_keys s
tmux_wait_for "create-index-not-concurrently" 20 || tmux_fail "the console did not show the lint warning"
tmux_wait_re '0001_index +expand ' 20 || tmux_fail "the step did not run after the warning"
[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 't_name_idx'")" = 1 ] || tmux_fail "the index was not built"
ok "s shows lint's warning in the log, then runs the step"
