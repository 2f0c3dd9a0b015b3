#!/bin/bash
# Issue 14, item 12: names are compared and shortened exactly.
# 1. One migration changes the type of column v in tables "a_b" and "a%b",
#    each with an index on v that the switch carries to the new column.
#    Each carry's saved rows are its own (in a LIKE pattern, "_" matches
#    "%" and "%" anything): contract gives each table its index back under
#    its own name, and leaves no saved row.
# 2. partition_table on a table with a 60-byte name: its partitions are
#    named within 63 bytes, as `pgstep show` says, end to end.
set -eu
set -o pipefail
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"

q 'CREATE TABLE "a_b" (id int PRIMARY KEY, v text);
   CREATE TABLE "a%b" (id int PRIMARY KEY, v text);
   INSERT INTO "a_b" SELECT g, g::text FROM generate_series(1, 100) g;
   INSERT INTO "a%b" SELECT g, (g * 2)::text FROM generate_series(1, 100) g;
   CREATE INDEX "a_b_v" ON "a_b" (v);
   CREATE INDEX "a%b_v" ON "a%b" (v)' >/dev/null
cat >"$W/plans/0001_types.yaml" <<'YAML'
operations:
  - alter_column: {table: a_b, column: v, type: integer, up: v::integer, down: v::text}
  - alter_column: {table: "a%b", column: v, type: integer, up: v::integer, down: v::text}
YAML
"$PGSTEP" -P "$W/plans" run 0001_types --to switch 2>"$W/switch.err" || { cat "$W/switch.err"; fail "expand to switch failed"; }
[ "$(q "SELECT count(*) FROM pgstep.saved WHERE key LIKE 'carry:%'")" = 2 ] ||
	fail "the switch did not save one carried index per table: $(q "SELECT string_agg(key, ', ') FROM pgstep.saved")"
ok "switched; each table's index carried: $(q "SELECT string_agg(key, ', ' ORDER BY key) FROM pgstep.saved WHERE key LIKE 'carry:%'")"

"$PGSTEP" -P "$W/plans" run 0001_types --to contract 2>"$W/contract.err" || { cat "$W/contract.err"; fail "contract failed"; }
# index_of TABLE: its index's name and the column and type it is on.
index_of() {
	q "SELECT string_agg(i.relname || ' on ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ')
	   FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
	   JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
	   WHERE x.indrelid = '\"$1\"'::regclass AND NOT x.indisprimary"
}
[ "$(index_of a_b)" = "a_b_v on v integer" ] || fail "a_b after contract: $(index_of a_b)"
[ "$(index_of 'a%b')" = "a%b_v on v integer" ] || fail "a%b after contract: $(index_of 'a%b')"
[ "$(q "SELECT count(*) FROM pgstep.saved WHERE migration = '0001_types'")" = 0 ] ||
	fail "saved rows left after contract: $(q "SELECT string_agg(key, ', ') FROM pgstep.saved")"
[ "$(q "SELECT sum(v) FROM \"a_b\"") $(q "SELECT sum(v) FROM \"a%b\"")" = "5050 10100" ] || fail "the values changed"
ok "contract gave a_b and a%b each its own index back"

# 2. A 60-byte table name: <table>_<name> and <table>_default pass 63 bytes.
T=orders_placed_by_customers_of_the_northern_region_since_2020
[ ${#T} = 60 ] || fail "the table name is ${#T} bytes"
q "CREATE TABLE $T (id bigint PRIMARY KEY, n int NOT NULL);
   INSERT INTO $T SELECT g, g % 300 FROM generate_series(1, 1000) g" >/dev/null
cat >"$W/plans/0002_partition.yaml" <<YAML
operations:
  - partition_table:
      table: $T
      column: n
      partitions:
        - {name: low, from: 0, to: 100}
        - {name: high, from: 100, to: 200}
YAML
"$PGSTEP" show "$W/plans/0002_partition.yaml" >"$W/show.txt" 2>"$W/show.err" || { cat "$W/show.err"; fail "pgstep show refused the plan"; }
sed -n 's/^ *[0-9]*\. create partition \([^ ]*\) .*/\1/p' "$W/show.txt" | sort >"$W/shown"
[ "$(wc -l <"$W/shown")" = 3 ] || { cat "$W/show.txt"; fail "pgstep show does not name three partitions"; }
while read -r name; do
	[ ${#name} -le 63 ] || fail "partition name $name is ${#name} bytes"
done <"$W/shown"
"$PGSTEP" -P "$W/plans" run 0002_partition 2>"$W/partition.err" || { cat "$W/partition.err"; fail "partition_table failed"; }
q "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
   WHERE i.inhparent = '$T'::regclass ORDER BY 1" >"$W/made"
diff "$W/shown" "$W/made" || fail "the partitions made are not the ones pgstep show names"
[ "$(q "SELECT relkind FROM pg_class WHERE oid = '$T'::regclass")" = p ] || fail "$T is not partitioned"
[ "$(q "SELECT count(*) FROM $T")" = 1000 ] || fail "rows lost"
ok "partitioned $T end to end: $(tr '\n' ' ' <"$W/made")"
