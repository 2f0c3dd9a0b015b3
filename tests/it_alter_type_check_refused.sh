#!/bin/sh
# alter_column changing the type with a check that refuses what up gives
# for some rows: the plan contradicts itself. The backfill counts those
# rows as not converted, and switch stops before the swap, saying that up
# and the check disagree and for how many rows, not with PostgreSQL's
# "violated by some row". Nothing is rewritten to hide it: the rows keep
# their old value, and rolling back gives the starting schema and rows.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"
q "CREATE TABLE items (id bigserial PRIMARY KEY, label text NOT NULL, price integer NOT NULL);
   INSERT INTO items (label, price) SELECT 'item ' || g, CASE WHEN g % 100 = 0 THEN -g ELSE g END
     FROM generate_series(1, 2000) g" >/dev/null
schema_dump >"$W/schema.before"
sum_before=$(table_checksum items)
[ -n "$sum_before" ] || fail "no checksum of items"
cat >"$W/plans/0001_units.yaml" <<'YAML'
settings: {batch_size: 500}
operations:
  - alter_column:
      table: items
      column: price
      type: numeric(10,2)
      up: "price::numeric / 100"
      down: "(price * 100)::integer"
      check: {name: items_price_nonnegative, constraint: "price >= 0"}
YAML

"$PGSTEP" -P "$W/plans" run 0001_units --to backfill >"$W/run.log" 2>&1 || { tail -n 20 "$W/run.log"; fail "run to backfill failed"; }
grep -q "5 row(s) of items not converted (keys 100, 200, 300, 400, 500)" "$W/run.log" &&
	grep -q "20 row(s) of items could not be converted by up" "$W/run.log" ||
	{ cat "$W/run.log"; fail "the backfill did not count the rows the check refuses as not converted"; }
ok "the backfill counts the 20 rows whose converted value the check refuses, and names them"

if "$PGSTEP" -P "$W/plans" run 0001_units --to switch >>"$W/run.log" 2>&1; then
	fail "switch went through with rows the check refuses"
fi
grep -q "up and the check disagree: check items_price_nonnegative (price >= 0) refuses the value of the column of the new type in 20 row(s) of items" "$W/run.log" ||
	{ tail -n 20 "$W/run.log"; fail "switch did not say that up and the check disagree"; }
# backfill stands (it succeeded); the switch phase failed
[ "$(q "SELECT phase || ' ' || status FROM pgstep.migrations WHERE name = '0001_units'")" = "backfill failed" ] ||
	fail "the migration is $(q "SELECT phase || ' ' || status FROM pgstep.migrations WHERE name = '0001_units'"), not backfill failed"
# nothing swapped, and the old column still has every value
[ "$(q "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'price'")" = integer ] ||
	fail "the column was swapped although switch failed"
[ "$(q "SELECT count(*) FROM items WHERE price < 0 AND _pgstep_items_price_new = price::numeric / 100")" = 20 ] ||
	fail "the refused rows do not keep their values in both columns"
ok "switch stops before the swap: up and the check disagree for 20 rows"

i=0
while [ "$(q "SELECT phase FROM pgstep.migrations WHERE name = '0001_units'")" != pending ]; do
	i=$((i + 1))
	[ "$i" -le 4 ] || fail "still not pending after 4 rollbacks"
	"$PGSTEP" -P "$W/plans" rollback 0001_units >>"$W/run.log" 2>&1 || { tail -n 20 "$W/run.log"; fail "rollback failed"; }
done
schema_dump >"$W/schema.after"
diff -u "$W/schema.before" "$W/schema.after" || fail "schema after rollback differs"
[ "$(table_checksum items)" = "$sum_before" ] || fail "the rows after rollback differ"
ok "rolled back to the starting schema and rows"
