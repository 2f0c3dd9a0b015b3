#!/bin/sh
# Two operations of one plan on one table: each backfill skips the other's
# fill trigger, so a CHECK the second one needs must not be in force while
# the first backfill still updates rows that violate it.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"
load_users 20000
schema_dump >"$W/schema.before"
cat >"$W/plans/0001_two.yaml" <<'YAML'
settings: {batch_size: 1000}
operations:
  - add_column:
      table: users
      column: {name: preferences, type: jsonb}
      up: build_json_from_legacy(id)
  - alter_column:
      table: users
      column: email
      nullable: false
      up: "'user' || id || '@unknown.invalid'"
YAML
"$PGSTEP" -P "$W/plans" run 0001_two --to switch 2>"$W/run.log" || { tail -n 20 "$W/run.log"; fail "run to switch failed"; }
[ "$(q "SELECT count(*) FROM users WHERE email IS NULL OR preferences IS DISTINCT FROM build_json_from_legacy(id)")" = 0 ] ||
	fail "rows left unfilled"
ok "both backfills ran on one table, both columns filled"
for i in 1 2 3; do
	"$PGSTEP" -P "$W/plans" rollback 0001_two 2>>"$W/run.log" || { tail -n 20 "$W/run.log"; fail "rollback failed"; }
done
schema_dump >"$W/schema.after"
diff -u "$W/schema.before" "$W/schema.after" || fail "schema after rollback differs"
ok "rolled back to the starting schema"
