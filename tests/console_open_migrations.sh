#!/bin/sh
# The console drives the same check as headless step: a migration on a
# table another open migration has is refused, and the log and the status
# line say which one and why, at once; once the other is rolled back, the
# console starts it.
set -eu
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/home"
load_users 1000
cat >"$W/plans/0001_col.yaml" <<'YAML'
operations:
  - add_column:
      table: users
      column: {name: note, type: text, nullable: true}
YAML
cat >"$W/plans/0002_idx.yaml" <<'YAML'
operations:
  - create_index: {name: users_email_idx, table: users, columns: [email]}
YAML
"$PGSTEP" -P "$W/plans" run 0001_col --to expand >/dev/null 2>"$W/run.log" || { cat "$W/run.log"; fail "0001_col did not expand"; }
schema_dump >"$W/schema.before"

tmux_start 160 30 env HOME="$W/home" "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans"
tmux_wait_re '0002_idx +- +pending'
tmux_keys :
tmux_type 'step 0002_idx'
tmux_keys Enter
msg="migration 0002_idx touches table users, which migration 0001_col (at expand) has open: finish or roll back 0001_col first"
tmux_wait_for "$msg"
tmux_screen | grep -F "$msg" | grep -qE '^.* E ' || tmux_fail "the refusal is not an E line of the log"
# The status line: the refusal replaces the key's "running expand of"
# message, which would otherwise stay 20 s (this bound is well below).
tmux_wait_for "refused: migration 0002_idx touches table users" 10
tmux_wait_for "REFUSED: migration 0002_idx touches table users"
schema_dump >"$W/schema.after"
diff -u "$W/schema.before" "$W/schema.after" || tmux_fail "the refused step changed the schema"
[ "$(q "SELECT count(*) FROM pgstep.migrations WHERE name = '0002_idx'")" = 0 ] || tmux_fail "the refused migration was recorded"
ok "the console refuses 0002_idx, naming 0001_col and users in the log and the status line; nothing changed"

"$PGSTEP" -P "$W/plans" rollback 0001_col >/dev/null 2>>"$W/run.log" || { cat "$W/run.log"; fail "rollback of 0001_col failed"; }
tmux_keys :
tmux_type 'step 0002_idx'
tmux_keys Enter
tmux_wait_re '0002_idx +expand '
[ "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = 'users_email_idx'::regclass")" = t ] || tmux_fail "the index was not built"
ok "once 0001_col is rolled back to pending, the console starts 0002_idx"

tmux_keys q
tmux_wait_for "[pgstep exited with status 0]"
