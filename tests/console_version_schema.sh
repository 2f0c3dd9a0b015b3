#!/bin/sh
# The console shows which versioned schema belongs to which migration: in
# the list while the schema exists, and in the migration's details with
# the tables it touches; the note goes when a rollback drops the schema.
set -eu
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/home"
load_users 1000
cat >"$W/plans/0001_v.yaml" <<'YAML'
settings: {version_schema: true}
operations:
  - rename_column: {table: users, from: name, to: full_name}
YAML
cat >"$W/plans/0002_plain.yaml" <<'YAML'
operations:
  - create_index: {name: users_email_idx, table: users, columns: [email]}
YAML
"$PGSTEP" -P "$W/plans" run 0001_v --to expand >/dev/null 2>"$W/run.log" || { cat "$W/run.log"; fail "0001_v did not expand"; }

tmux_start 160 30 env HOME="$W/home" "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans"
tmux_wait_re '0001_v +expand +ok .*new version in schema public_0001_v'
tmux_screen | grep -E '0002_plain +- +pending' | grep -q 'new version' && tmux_fail "a migration without a versioned schema shows one"
ok "the list says which migration public_0001_v belongs to"

tmux_keys Enter
tmux_wait_for "version       schema public_0001_v: the new application sets search_path to it"
tmux_wait_for "tables        users"
ok "the details name the versioned schema and the tables"
tmux_keys Escape

"$PGSTEP" -P "$W/plans" rollback 0001_v >/dev/null 2>>"$W/run.log" || { cat "$W/run.log"; fail "rollback of 0001_v failed"; }
tmux_wait_re '0001_v +- +ok'
tmux_screen | grep -E '0001_v ' | grep -q 'new version' && tmux_fail "the note stays after the rollback dropped the schema"
ok "after the rollback, no versioned schema is shown"

tmux_keys q
tmux_wait_for "[pgstep exited with status 0]"
