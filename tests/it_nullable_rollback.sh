#!/bin/sh
# alter_column nullable: true, rolled back after the new application wrote
# NULLs that nothing fills (no down): the rollback stops with their count,
# and by then NOT NULL is back as a constraint not yet valid (a CHECK, or
# on PostgreSQL 18 the NOT NULL constraint NOT VALID), so that no new NULL
# gets in while the operator fills the rows. `pgstep rollback` then
# finishes, each of its steps through the oracle (tests/lib/oracle.sh): no
# scan of the table under a lock that blocks writes (a plain SET NOT NULL
# would read every row under ACCESS EXCLUSIVE), and the schema is the
# starting one.
set -eu
set -o pipefail
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/oracle.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"
q "CREATE TABLE items (id bigserial PRIMARY KEY, label text NOT NULL, note text NOT NULL DEFAULT '');
   INSERT INTO items (label, note) SELECT 'item ' || g, 'note ' || g FROM generate_series(1, 3000) g" >/dev/null
cat >"$W/plans/0001_note_optional.yaml" <<'YAML'
operations:
  - alter_column:
      table: items
      column: note
      nullable: true
YAML
ORACLE_LOG=$W/oracle.log
oracle_install
oracle_measure
schema_dump >"$W/schema.before"

"$PGSTEP" -P "$W/plans" run 0001_note_optional --to expand >"$W/run.log" 2>&1 ||
	{ tail -n 20 "$W/run.log"; fail "expand failed"; }
q "INSERT INTO items (label, note) VALUES ('new 1', NULL), ('new 2', NULL), ('new 3', NULL)" >/dev/null

if "$PGSTEP" -P "$W/plans" rollback 0001_note_optional >>"$W/run.log" 2>&1; then
	fail "the rollback made note NOT NULL again over 3 NULL rows"
fi
grep -q "cannot make items.note NOT NULL again: 3 row(s) written while the migration was open are NULL; give down, the value for them, or fill them by hand" "$W/run.log" ||
	{ tail -n 20 "$W/run.log"; fail "the rollback did not stop with the count of the NULL rows"; }
ok "the rollback stops: 3 rows written while open are NULL, and nothing fills them"

# NOT NULL is back as a constraint not yet valid: no new NULL gets in
if q "INSERT INTO items (label, note) VALUES ('after the stop', NULL)" >"$W/insert.log" 2>&1; then
	fail "a NULL was written after the rollback stopped: NOT NULL is not back, even NOT VALID"
fi
grep -q "violates" "$W/insert.log" || { cat "$W/insert.log"; fail "the NULL insert failed for another reason"; }
[ "$(q "SELECT count(*) FROM items WHERE note IS NULL")" = 3 ] || fail "not 3 NULL rows after the stop"
ok "while the rollback is stopped, new NULLs are refused"

q "UPDATE items SET note = 'by hand' WHERE note IS NULL" >/dev/null
oracle_phase "the rollback of expand, finished" "$PGSTEP" -P "$W/plans" rollback 0001_note_optional >>"$W/run.log" 2>&1 ||
	{ tail -n 20 "$W/run.log"; fail "the rollback did not finish once the rows were filled"; }
[ "$(q "SELECT phase FROM pgstep.migrations WHERE name = '0001_note_optional'")" = pending ] ||
	fail "the migration is not pending after the rollback"
[ "$(q "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'note'")" = t ] ||
	fail "note is not NOT NULL after the rollback"
[ "$(q "SELECT count(*) FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname LIKE '\_pgstep%'")" = 0 ] ||
	fail "a helper constraint is left: $(q "SELECT string_agg(conname, ' ') FROM pg_constraint WHERE conrelid = 'items'::regclass")"
schema_dump >"$W/schema.after"
same_file "$W/schema.before" "$W/schema.after" "the schema after the rollback is not the starting one"
oracle_summary
ok "filled by hand, the rollback finishes: NOT NULL again without a scan under a write-blocking lock"
