#!/bin/sh
# Versioned schemas (pgroll's way): expand creates <schema>_<migration>
# with a view of every table as the new version sees it; the old
# application writes the tables, the new one the views (search_path), and
# each write lands in both representations. Rolling back drops the schema;
# contract keeps it (the new application uses it) and drops the versions
# before. --version-schema counts in the plan's checksum.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"
load_users 3000
q "ALTER TABLE users ADD COLUMN legacy text DEFAULT 'l';
   CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL);
   INSERT INTO orders SELECT g, g FROM generate_series(1, 200) g;
   CREATE ROLE app;
   GRANT SELECT, INSERT, UPDATE ON users, orders TO app;
   GRANT USAGE ON SEQUENCE users_id_seq TO app" >/dev/null
schema_dump >"$W/schema.before"

cat >"$W/plans/v1.yaml" <<'YAML'
settings: {version_schema: true, batch_size: 500}
operations:
  - alter_column:
      table: users
      column: age
      type: integer
      up: "CASE WHEN age ~ '^[0-9]+$' THEN age::integer END"
      down: age::text
  - rename_column: {table: users, from: name, to: full_name}
  - add_column:
      table: users
      column: {name: prefs, type: jsonb, nullable: true}
      up: "jsonb_build_object('len', length(email))"
  - drop_column: {table: users, column: legacy, down: "'from down'"}
  - rename_table: {from: orders, to: purchases}
  - create_table:
      name: tags
      columns:
        - {name: id, type: bigint, pk: true}
        - {name: label, type: text, nullable: false}
YAML

run() { "$PGSTEP" -P "$W/plans" "$@" 2>>"$W/pgstep.log" >/dev/null || { tail -n 30 "$W/pgstep.log"; fail "pgstep $*"; }; }
new_app() { PGOPTIONS="-c search_path=$1" psql -X -At -v ON_ERROR_STOP=1 -c "$2"; }
# The first argument's query must return t.
holds() { [ "$(q "$1")" = t ] || fail "$2: $1 gives $(q "$1" 2>&1)"; }

run run v1 --to backfill
holds "SELECT count(*) = 3 FROM pg_views WHERE schemaname = 'public_v1' AND viewname IN ('users', 'purchases', 'tags')" \
	"expand made the views of the new version"
holds "SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY ordinal_position) =
	'id:bigint,full_name:text,email:text,age:integer,created_at:timestamp with time zone,prefs:jsonb'
	FROM information_schema.columns WHERE table_schema = 'public_v1' AND table_name = 'users'" \
	"the view shows the new names and types, in the old order, and no helper nor dropped column"
# security_invoker came with PostgreSQL 15: before it pgstep leaves it out.
holds "SELECT CASE WHEN current_setting('server_version_num')::int >= 150000
	               THEN 'security_invoker=true' = ANY (reloptions) ELSE reloptions IS NULL END
	FROM pg_class WHERE oid = 'public_v1.users'::regclass" \
	"the views check the reader's own rights (from PostgreSQL 15 on)"
holds "SELECT has_table_privilege('app', 'public_v1.users', 'INSERT') AND NOT has_table_privilege('app', 'public_v1.users', 'DELETE')" \
	"the view has the table's grants"
ok "expand: public_v1 shows users, purchases and tags as the new version sees them"

# The old application, on the tables, by the old names and types.
q "INSERT INTO users (name, email, age, legacy) VALUES ('old', 'old@example.com', '42', 'kept')" >/dev/null
q "UPDATE users SET age = '43', email = 'older@example.com' WHERE name = 'old'" >/dev/null
q "INSERT INTO orders VALUES (1000, 1)" >/dev/null
# The new application, through the views, by the new names and types.
new_app public_v1 "SET ROLE app; INSERT INTO users (full_name, email, age, prefs) VALUES ('new', 'new@example.com', 7, '{\"set\": 1}')" >/dev/null
new_app public_v1 "SET ROLE app; UPDATE users SET age = 8 WHERE full_name = 'new'" >/dev/null
new_app public_v1 "SET ROLE app; UPDATE users SET email = 'newer@example.com' WHERE full_name = 'new'" >/dev/null
new_app public_v1 "SET ROLE app; INSERT INTO purchases VALUES (1001, 2)" >/dev/null
holds "SELECT _pgstep_users_age_new = 43 AND prefs = jsonb_build_object('len', length('older@example.com')) AND legacy = 'kept'
	FROM users WHERE name = 'old'" "the old application's writes reach the new representation"
holds "SELECT age = '8' AND _pgstep_users_age_new = 8 AND prefs = '{\"set\": 1}' AND legacy = 'from down'
	FROM users WHERE name = 'new'" "the new application's writes reach the old representation, and its own value stays"
holds "SELECT (SELECT age FROM public_v1.users WHERE full_name = 'old') = 43
	AND (SELECT count(*) FROM public_v1.purchases WHERE id IN (1000, 1001)) = 2
	AND (SELECT count(*) FROM orders WHERE id IN (1000, 1001)) = 2" "each version reads the other's writes"
ok "both applications' writes land in both representations"

"$PGSTEP" -P "$W/plans" status >"$W/status" 2>>"$W/pgstep.log"
grep -q "^v1 .*new version in schema public_v1" "$W/status" || { cat "$W/status"; fail "status does not show the versioned schema"; }
"$PGSTEP" -P "$W/plans" status --json >"$W/status.json" 2>>"$W/pgstep.log"
grep -q '"version_schema": *"public_v1"' "$W/status.json" || { cat "$W/status.json"; fail "status --json does not show the versioned schema"; }
ok "status shows which migration the versioned schema belongs to"

run rollback v1
run rollback v1
schema_dump >"$W/schema.rolledback"
diff -u "$W/schema.before" "$W/schema.rolledback" || fail "the schema after rolling back differs from the start"
holds "SELECT to_regnamespace('public_v1') IS NULL AND NOT EXISTS (SELECT 1 FROM pgstep.saved WHERE migration = 'v1')" \
	"rolling back dropped the versioned schema"
holds "SELECT count(*) = 2 FROM users WHERE name IN ('old', 'new')" "rows written while open are kept"
ok "rolled back: the starting schema, no versioned schema, the rows kept"

run run v1 --to contract
holds "SELECT format_type(atttypid, atttypmod) = 'integer' FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'age'" \
	"contract gave the column its new type under its name"
holds "SELECT NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname IN ('name', 'legacy') AND NOT attisdropped)
	AND EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'full_name')
	AND to_regclass('public.purchases') IS NOT NULL AND to_regclass('public.orders') IS NULL" \
	"contract renamed and dropped"
holds "SELECT NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname LIKE '\\_pgstep%' AND NOT attisdropped)
	AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'users'::regclass AND NOT tgisinternal)
	AND NOT EXISTS (SELECT 1 FROM pg_proc WHERE proname LIKE '\\_pgstep%')" "contract left no helper"
[ "$(new_app public_v1 "SELECT age FROM users WHERE full_name = 'new'")" = 8 ] ||
	fail "the new application no longer reads through public_v1 after contract"
new_app public_v1 "SET ROLE app; INSERT INTO users (full_name, email, age) VALUES ('after', 'after@example.com', 9)" >/dev/null
holds "SELECT age = 9 FROM users WHERE full_name = 'after'" "the new application writes through public_v1 after contract"
ok "contract: the new layout in the tables, public_v1 still the new application's"

# The next migration's contract drops the version before it.
cat >"$W/plans/v2.yaml" <<'YAML'
settings: {version_schema: true}
operations:
  - add_column:
      table: users
      column: {name: note, type: text, nullable: true}
YAML
run run v2 --to switch
holds "SELECT to_regnamespace('public_v1') IS NOT NULL AND to_regnamespace('public_v2') IS NOT NULL" \
	"both versions while v2 is open"
run run v2 --to contract
holds "SELECT to_regnamespace('public_v1') IS NULL AND to_regnamespace('public_v2') IS NOT NULL" \
	"v2's contract dropped public_v1 and kept public_v2"
ok "contract drops the versioned schemas of the migrations done before"

# pgroll's top-level version_schema names the schema.
cat >"$W/plans/v3.yaml" <<'YAML'
version_schema: app_next
operations:
  - create_index: {name: users_email_v3, table: users, columns: [email]}
YAML
run run v3 --to expand
holds "SELECT to_regclass('app_next.users') IS NOT NULL" "pgroll's version_schema names the schema"
run rollback v3
ok "version_schema: NAME at the top of the plan names the versioned schema"

# --version-schema is part of the plan: a migration started with it is not
# carried on without it.
cat >"$W/plans/v4.yaml" <<'YAML'
operations:
  - create_index: {name: users_email_v4, table: users, columns: [email]}
YAML
"$PGSTEP" --version-schema -P "$W/plans" run v4 --to expand 2>>"$W/pgstep.log" >/dev/null ||
	{ tail -n 20 "$W/pgstep.log"; fail "run --version-schema failed"; }
holds "SELECT to_regclass('public_v4.users') IS NOT NULL" "--version-schema made public_v4"
set +e
"$PGSTEP" -P "$W/plans" run v4 --to contract 2>"$W/v4.err" >/dev/null
rc=$?
set -e
[ "$rc" = 2 ] || { cat "$W/v4.err"; fail "run without --version-schema of a migration started with it: exit $rc, not 2"; }
grep -q "changed after migration v4 was started" "$W/v4.err" || { cat "$W/v4.err"; fail "no word of the changed plan"; }
ok "--version-schema counts in the checksum"

# A table swap would leave the views on the old table: refused at load.
cat >"$W/plans/v5.yaml" <<'YAML'
settings: {version_schema: true}
operations:
  - partition_table:
      table: purchases
      column: id
      type: range
      partitions: [{name: p_all, from: MINVALUE, to: MAXVALUE}]
YAML
set +e
"$PGSTEP" -P "$W/plans" show v5 >/dev/null 2>"$W/v5.err"
rc=$?
set -e
[ "$rc" = 2 ] || { cat "$W/v5.err"; fail "partition_table with a versioned schema: exit $rc, not 2"; }
grep -q "v5.yaml:3:5: partition_table cannot run with a versioned schema (public_v5)" "$W/v5.err" ||
	{ cat "$W/v5.err"; fail "no clear refusal of partition_table with a versioned schema"; }
ok "partition_table is refused with a versioned schema, at its line"
