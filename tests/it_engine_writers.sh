#!/bin/sh
# A migration runs expand through contract while the application keeps
# writing with the old schema's SQL (and, after switch, the new one's):
# every row ends with exactly the expected value, none is lost or doubled.
# Then every phase is rolled back with writes going on, and the schema is
# exactly the starting one again, with the writes kept.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"

ROWS=20000
load_users $ROWS
schema_dump >"$W/schema.before"

cat >"$W/plans/0001_prefs.yaml" <<'YAML'
description: preferences derived from the legacy table and the name
settings:
  batch_size: 500
  batch_target: 20ms
operations:
  - add_column:
      table: users
      column: {name: preferences, type: jsonb, default: "'{}'", nullable: false}
      up: build_json_from_legacy(id) || jsonb_build_object('name', name)
YAML

cat >"$W/old_app.sql" <<'SQL'
\set id random(1, 20000)
UPDATE users SET name = name || '.' WHERE id = :id;
INSERT INTO users (name, email, age) VALUES ('old app', 'old@example.com', '30');
SQL
cat >"$W/new_app.sql" <<'SQL'
\set id random(1, 20000)
UPDATE users SET name = name || '+' WHERE id = :id;
INSERT INTO users (name, email, age, preferences) VALUES ('new app', 'new@example.com', '31', '{"new": true}');
SQL

pgbench() { "$PG_CLIENT_BINDIR/pgbench" -n "$@"; }
expected_mismatches() {
	q "SELECT count(*) FROM users WHERE name <> 'new app'
	   AND preferences IS DISTINCT FROM build_json_from_legacy(id) || jsonb_build_object('name', name)"
}

# Old application writing while expand and backfill run.
pgbench -c 2 -t 1500 -f "$W/old_app.sql" >"$W/old.log" 2>&1 &
writer=$!
"$PGSTEP" -P "$W/plans" run 0001_prefs --to switch 2>"$W/run1.log" || { cat "$W/run1.log"; fail "run to switch failed"; }
wait $writer || { cat "$W/old.log"; fail "old application writer failed"; }
ok "expand, backfill and switch ran under the old application's writes"

# After switch the new application writes the column itself.
pgbench -c 2 -t 500 -f "$W/new_app.sql" >"$W/new.log" 2>&1 || { cat "$W/new.log"; fail "new application writer failed"; }

[ "$(q "SELECT count(*) FROM users")" = $((ROWS + 3000 + 1000)) ] || fail "rows lost or added: $(q 'SELECT count(*) FROM users')"
[ "$(q "SELECT count(*) - count(DISTINCT id) FROM users")" = 0 ] || fail "duplicated keys"
[ "$(expected_mismatches)" = 0 ] || fail "$(expected_mismatches) rows do not hold the expected value"
[ "$(q "SELECT count(*) FROM users WHERE name = 'new app' AND preferences <> '{\"new\": true}'")" = 0 ] ||
	fail "the trigger overwrote values the new application wrote"
[ "$(q "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'preferences'")" = t ] ||
	fail "preferences is not NOT NULL after switch"
ok "every row holds the expected value, none lost or doubled"

"$PGSTEP" -P "$W/plans" step 0001_prefs 2>"$W/run2.log" || { cat "$W/run2.log"; fail "contract failed"; }
[ "$(q "SELECT count(*) FROM pg_trigger WHERE tgname LIKE '_pgstep%'")" = 0 ] || fail "trigger left after contract"
[ "$(q "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'users'::regclass AND adnum = (SELECT attnum FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'preferences')")" = "'{}'::jsonb" ] ||
	fail "default not set after contract"
ok "contract dropped the trigger and set the default"

# Roll every phase back while the old application writes.
pgbench -c 2 -t 1500 -f "$W/old_app.sql" >"$W/old2.log" 2>&1 &
writer=$!
for phase in contract switch backfill expand; do
	"$PGSTEP" -P "$W/plans" rollback 0001_prefs 2>"$W/rb.log" || { cat "$W/rb.log"; fail "rollback of $phase failed"; }
done
wait $writer || { cat "$W/old2.log"; fail "writer during rollback failed"; }
schema_dump >"$W/schema.after"
diff -u "$W/schema.before" "$W/schema.after" || fail "schema after rolling everything back differs from the start"
[ "$(q "SELECT count(*) FROM users")" = $((ROWS + 3000 + 1000 + 3000)) ] || fail "writes lost during rollback"
[ "$(q "SELECT phase FROM pgstep.migrations WHERE name = '0001_prefs'")" = pending ] || fail "state not pending"
ok "rolled back phase by phase to the exact starting schema, writes kept"
