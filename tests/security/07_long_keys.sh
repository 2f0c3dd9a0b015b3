#!/bin/bash
# Issue 14, item 7: the backfill keeps its checkpoint key whole. A text
# primary key past 255 bytes whose 256th byte falls inside a two-byte
# character, and a long ASCII key: the backfill finishes, and a trigger
# that counts every write to each row shows that each row was written
# exactly once (rows_done is the row count, too).
set -eu
set -o pipefail
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"

# Keys differ in their first bytes, so that a key cut at 255 bytes still
# sorts just before the one it was cut from: the next batch starts there.
# 4 + 150 * 2 bytes: byte 255 ends in the middle of an "é".
q "CREATE TABLE wide (k text PRIMARY KEY, v int NOT NULL, writes int NOT NULL DEFAULT 0);
   INSERT INTO wide SELECT lpad(g::text, 4, '0') || repeat('é', 150), g FROM generate_series(1, 500) g;
   CREATE TABLE ascii (k text PRIMARY KEY, v int NOT NULL, writes int NOT NULL DEFAULT 0);
   INSERT INTO ascii SELECT lpad(g::text, 4, '0') || repeat('x', 400), g FROM generate_series(1, 500) g;
   CREATE FUNCTION count_write() RETURNS trigger LANGUAGE plpgsql AS
     \$\$BEGIN NEW.writes := OLD.writes + 1; RETURN NEW; END\$\$;
   CREATE TRIGGER count_write BEFORE UPDATE ON wide FOR EACH ROW EXECUTE FUNCTION count_write();
   CREATE TRIGGER count_write BEFORE UPDATE ON ascii FOR EACH ROW EXECUTE FUNCTION count_write();" >/dev/null
[ "$(q "SELECT min(octet_length(k)) FROM wide")" = 304 ] || fail "the multibyte keys are not 304 bytes"
[ "$(q "SELECT count(*) FROM wide WHERE get_byte(convert_to(k, 'UTF8'), 254) & 192 = 192")" = 500 ] ||
	fail "byte 255 of the multibyte keys does not start a character (the cut would not split one)"

for t in wide ascii; do
	cat >"$W/plans/fill_$t.yaml" <<YAML
settings: {batch_size: 10, batch_target: 1ms}
operations:
  - add_column:
      table: $t
      column: {name: doubled, type: int, nullable: true}
      up: v * 2
YAML
	set +e
	timeout 120 "$PGSTEP" -P "$W/plans" run "fill_$t" --to backfill 2>"$W/$t.err"
	rc=$?
	set -e
	[ $rc = 0 ] || { tail -n 5 "$W/$t.err"; fail "$t: the backfill did not finish (exit $rc)"; }
	[ "$(q "SELECT count(*) FROM $t WHERE doubled IS DISTINCT FROM v * 2")" = 0 ] || fail "$t: rows not filled"
	writes=$(q "SELECT min(writes) || ' ' || max(writes) FROM $t")
	[ "$writes" = "1 1" ] || fail "$t: each row should be written once; writes per row (min max): $writes"
	done_rows=$(q "SELECT rows_done FROM pgstep.backfill WHERE migration = 'fill_$t'")
	[ "$done_rows" = 500 ] || fail "$t: rows_done is $done_rows, not the 500 rows"
	last=$(q "SELECT octet_length(last_key) FROM pgstep.backfill WHERE migration = 'fill_$t'")
	[ "$last" -gt 255 ] || fail "$t: the checkpoint's last key is $last bytes, cut"
	ok "$t: 500 rows, keys of $(q "SELECT min(octet_length(k)) FROM $t") bytes, each written once"
done
