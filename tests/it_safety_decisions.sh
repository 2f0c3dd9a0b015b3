#!/bin/sh
# Issue 15, "one module decides", end to end on a populated table:
#  - add_column with a default that calls a user-defined IMMUTABLE
#    function: unknown offline, immutable in the catalog, which wins: the
#    fast path (one step, no backfill, no rewrite), and the log says why;
#  - add_column with upper(1), immutable by name offline, but resolved by
#    PostgreSQL to the plan schema's VOLATILE upper(integer): the catalog
#    wins the other way (no rewrite, a value per row), and the log says why;
#  - the answers are saved as the migration starts: a rollback and a later
#    run use the steps it started with, whatever the catalog says since;
#  - a sql operation with CREATE UNIQUE INDEX CONCURRENTLY runs outside a
#    transaction, and the INVALID index a failed build left is dropped
#    before the retry.
set -eu
# pipefail where the shell has it (make check runs tests with bash)
if (set -o pipefail) 2>/dev/null; then set -o pipefail; fi
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"

q "CREATE TABLE items (id bigserial PRIMARY KEY, label text NOT NULL)" >/dev/null
q "INSERT INTO items (label) SELECT 'item ' || g FROM generate_series(1, 5000) g" >/dev/null
q "CREATE FUNCTION stamp() RETURNS text LANGUAGE sql IMMUTABLE AS \$\$ SELECT 'stamped' \$\$" >/dev/null
q "CREATE FUNCTION public.upper(integer) RETURNS text LANGUAGE sql VOLATILE AS \$\$ SELECT pg_catalog.md5(pg_catalog.random()::text) \$\$" >/dev/null
relfile() { q "SELECT relfilenode FROM pg_class WHERE oid = 'items'::regclass"; }
# statements run (a rollback's marker row, step -1, is none)
steps() { q "SELECT count(*) FROM pgstep.steps WHERE migration = '$1' AND phase = '$2' AND direction = '$3' AND error IS NULL AND step >= 0"; }
before=$(relfile)
[ -n "$before" ] || fail "no relfilenode for items"

# ---- the catalog says immutable: the fast path ----
cat >"$W/plans/0001_stamp.yaml" <<'YAML'
settings: {batch_size: 500}
operations:
  - add_column:
      table: items
      column: {name: code, type: text, default: stamp(), nullable: true}
YAML
# offline, stamp() is a function pgstep does not know: the safe way
"$PGSTEP" -P "$W/plans" show 0001_stamp >"$W/show1.out" 2>&1 || { cat "$W/show1.out"; fail "show failed"; }
grep -q "backfill items.code" "$W/show1.out" || { cat "$W/show1.out"; fail "offline, an unknown function's default is not filled in batches"; }
"$PGSTEP" -P "$W/plans" run 0001_stamp --to expand 2>"$W/run1.log" || { cat "$W/run1.log"; fail "expand of 0001_stamp failed"; }
grep -q "add_column items.code: public.stamp() is immutable in the catalog: the column is added with its default in one step, with no rewrite and no backfill" "$W/run1.log" ||
	{ cat "$W/run1.log"; fail "the log does not say the catalog's answer and what it means"; }
[ "$(steps 0001_stamp expand forward)" = 1 ] || fail "expand ran $(steps 0001_stamp expand forward) steps, not the one ADD COLUMN"
[ "$(q "SELECT count(*) FROM pgstep.steps WHERE migration = '0001_stamp' AND sql LIKE '%ADD COLUMN \"code\" text DEFAULT (stamp())'")" = 1 ] ||
	fail "the ADD COLUMN does not carry the default"
[ "$(relfile)" = "$before" ] || fail "expand rewrote items (relfilenode $before -> $(relfile))"
[ "$(q "SELECT count(*) FROM items WHERE code = 'stamped'")" = 5000 ] || fail "not every row has the default"
[ "$(q "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'items'::regclass AND NOT tgisinternal")" = 0 ] ||
	fail "a fill trigger was made for a default the catalog says is immutable"
[ "$(q "SELECT value::jsonb -> 0 ->> 'volatility' FROM pgstep.saved WHERE migration = '0001_stamp' AND key = 'catalog_facts'")" = immutable ] ||
	fail "the catalog's answer is not saved with the migration"
ok "a user-defined IMMUTABLE function's default: the fast path, and the log says why"

# The function changes: the migration keeps the steps it started with.
q "ALTER FUNCTION stamp() VOLATILE" >/dev/null
"$PGSTEP" -P "$W/plans" rollback 0001_stamp 2>"$W/rb1.log" || { cat "$W/rb1.log"; fail "rollback of 0001_stamp failed"; }
[ "$(steps 0001_stamp expand rollback)" = 1 ] || { cat "$W/rb1.log"; fail "the rollback undid $(steps 0001_stamp expand rollback) steps, not the one expand ran"; }
[ "$(q "SELECT count(*) FROM pgstep.steps WHERE migration = '0001_stamp' AND direction = 'rollback' AND sql LIKE '%DROP COLUMN IF EXISTS \"code\"'")" = 1 ] ||
	fail "the rollback did not drop the column"
[ "$(q "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'code'")" = 0 ] ||
	fail "the column is still there"
[ "$(q "SELECT count(*) FROM pgstep.saved WHERE migration = '0001_stamp'")" = 0 ] ||
	fail "the catalog's answers are kept after the migration is back at pending"
ok "rolled back with the steps it started with, though the catalog says otherwise now"

# ---- offline immutable, the catalog says volatile: the safe path ----
cat >"$W/plans/0002_shout.yaml" <<'YAML'
settings: {batch_size: 500}
operations:
  - add_column:
      table: items
      column: {name: shout, type: text, default: upper(1), nullable: true}
YAML
"$PGSTEP" -P "$W/plans" run 0002_shout --to backfill 2>"$W/run2.log" || { cat "$W/run2.log"; fail "0002_shout failed"; }
grep -q "add_column items.shout: public.upper() is volatile in the catalog: the column is added without its default, filled in batches, and the default set in contract" "$W/run2.log" ||
	{ cat "$W/run2.log"; fail "the log does not say the catalog's answer and what it means"; }
[ "$(relfile)" = "$before" ] || fail "expand or backfill rewrote items (relfilenode $before -> $(relfile))"
[ "$(q "SELECT count(*) FROM items WHERE shout IS NULL")" = 0 ] || fail "rows left without a value"
[ "$(q "SELECT count(DISTINCT shout) FROM items")" = 5000 ] || fail "the rows do not each have their own value"
[ "$(q "SELECT column_default IS NULL FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'shout'")" = t ] ||
	fail "the default is in place before contract"
ok "a name pgstep knows, resolved to a VOLATILE function: added without a rewrite, a value per row"

# The catalog changes its mind: contract still sets the default the
# migration's steps put off, and drops the fill trigger.
q "ALTER FUNCTION public.upper(integer) IMMUTABLE" >/dev/null
"$PGSTEP" -P "$W/plans" run 0002_shout --to contract 2>"$W/run2c.log" || { cat "$W/run2c.log"; fail "contract of 0002_shout failed"; }
[ "$(q "SELECT count(*) FROM pgstep.steps WHERE migration = '0002_shout' AND phase = 'contract' AND sql LIKE '%SET DEFAULT (upper(1))'")" = 1 ] ||
	{ cat "$W/run2c.log"; fail "contract did not set the default the expand put off"; }
[ "$(q "SELECT column_default FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'shout'")" = "upper(1)" ] ||
	fail "the default is not in place after contract"
[ "$(q "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'items'::regclass AND NOT tgisinternal")" = 0 ] ||
	fail "the fill trigger is left after contract"
[ "$(relfile)" = "$before" ] || fail "items was rewritten (relfilenode $before -> $(relfile))"
ok "contract ran the steps the migration started with"

# Contract can still be undone, with the steps it ran: the default goes,
# the fill trigger comes back; then back to pending, which forgets.
"$PGSTEP" -P "$W/plans" rollback 0002_shout 2>"$W/rb2.log" || { cat "$W/rb2.log"; fail "rollback of contract failed"; }
[ "$(q "SELECT column_default IS NULL FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'shout'")" = t ] ||
	fail "the rollback of contract left the default"
[ "$(q "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'items'::regclass AND NOT tgisinternal")" = 1 ] ||
	fail "the rollback of contract did not bring the fill trigger back"
for phase in switch backfill expand; do
	"$PGSTEP" -P "$W/plans" rollback 0002_shout 2>"$W/rb2.log" || { cat "$W/rb2.log"; fail "rollback of $phase failed"; }
done
[ "$(q "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'shout'")" = 0 ] ||
	fail "the column is still there at pending"
[ "$(q "SELECT count(*) FROM pgstep.saved WHERE migration = '0002_shout'")" = 0 ] ||
	fail "the catalog's answers are kept after the migration is back at pending"
ok "contract rolled back with the steps it ran, and down to pending"

# ---- CREATE UNIQUE INDEX CONCURRENTLY in a sql operation ----
q "CREATE TABLE codes (id bigserial PRIMARY KEY, code text NOT NULL)" >/dev/null
q "INSERT INTO codes (code) SELECT 'c' || (g % 2999) FROM generate_series(1, 3000) g" >/dev/null
cat >"$W/plans/0003_code_key.yaml" <<'YAML'
operations:
  - sql:
      up: CREATE UNIQUE INDEX CONCURRENTLY codes_code_key ON codes (code)
      down: DROP INDEX CONCURRENTLY codes_code_key
YAML
set +e
"$PGSTEP" -P "$W/plans" run 0003_code_key --to expand 2>"$W/run3.log"
rc=$?
set -e
[ $rc != 0 ] || fail "a unique index over duplicates was built"
grep -q "could not create unique index" "$W/run3.log" || { cat "$W/run3.log"; fail "the build did not fail on the duplicates"; }
[ "$(q "SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('codes_code_key') AND NOT indisvalid")" = 1 ] ||
	fail "no INVALID index left by the failed build (the test needs one)"
q "UPDATE codes SET code = 'x' || id WHERE code = 'c1'" >/dev/null
"$PGSTEP" -P "$W/plans" run 0003_code_key --to expand 2>"$W/run3b.log" || { cat "$W/run3b.log"; fail "the retry failed"; }
grep -q 'dropping INVALID index "public"."codes_code_key" left by a failed build' "$W/run3b.log" ||
	{ cat "$W/run3b.log"; fail "the INVALID index was not dropped before the retry"; }
[ "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('codes_code_key')")" = t ] ||
	fail "the index is not valid after the retry"
"$PGSTEP" -P "$W/plans" rollback 0003_code_key 2>"$W/rb3.log" || { cat "$W/rb3.log"; fail "rollback of 0003_code_key failed"; }
[ "$(q "SELECT to_regclass('codes_code_key') IS NULL")" = t ] || fail "the rollback left the index"
ok "CREATE UNIQUE INDEX CONCURRENTLY in a sql operation: outside a transaction, retried after dropping its INVALID index, rolled back"
