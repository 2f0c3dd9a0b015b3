#!/bin/bash
# Rate limits of the backfill (issue 18): max_rows_per_second and
# max_wal_per_second spread the batches in time, so that the rate over a
# whole backfill is the limit, within 10%. Rows and elapsed time are
# pgstep's own (its "done: N rows in S s" line, measured from the
# backfill's start); the WAL is the server's pg_current_wal_lsn() around
# the backfill, nothing else writing.
set -eu
set -o pipefail
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"

for t in r1 r2; do
	q "CREATE TABLE $t (id bigint PRIMARY KEY, v text);
	   INSERT INTO $t SELECT g, 'x' FROM generate_series(1, 20000) g; ANALYZE $t" >/dev/null
done
cat >"$W/plans/0001_rows.yaml" <<'YAML'
settings:
  vacuum: false
  max_rows_per_second: 5000
operations:
  - add_column:
      table: r1
      column: {name: n, type: integer}
      up: id % 7
YAML
cat >"$W/plans/0002_wal.yaml" <<'YAML'
settings:
  vacuum: false
  max_wal_per_second: 2MB
operations:
  - add_column:
      table: r2
      column: {name: pad, type: text}
      up: repeat(md5(id::text), 8)
YAML

# within LIMIT GOT: GOT within 10% of LIMIT
within() { awk -v l="$1" -v g="$2" 'BEGIN { d = (g - l) / l; if (d < 0) d = -d; exit !(d <= 0.10) }'; }
# done_secs LOG TABLE: the seconds of the backfill's done line
done_secs() {
	_l=$(grep -E "backfill of $2 done: 20000 rows in [0-9.]+s" "$1") || { cat "$1"; fail "no done line for $2 in $1"; }
	echo "$_l" | sed -E 's/.* done: 20000 rows in ([0-9.]+)s.*/\1/'
}

# ---- max_rows_per_second: 20,000 rows at 5,000 a second ----
"$PGSTEP" -P "$W/plans" step 0001_rows >"$W/expand1.log" 2>&1 || { cat "$W/expand1.log"; fail "expand failed"; }
"$PGSTEP" -P "$W/plans" step 0001_rows >"$W/run1.log" 2>&1 || { cat "$W/run1.log"; fail "the backfill failed"; }
secs=$(done_secs "$W/run1.log" r1)
rate=$(awk -v s="$secs" 'BEGIN { printf "%.0f", 20000 / s }')
[ "$(q "SELECT count(*) FROM r1 WHERE n IS DISTINCT FROM id % 7")" = 0 ] || fail "r1 is not backfilled"
within 5000 "$rate" || fail "max_rows_per_second 5000: 20000 rows in ${secs}s, $rate rows/s"
ok "max_rows_per_second 5000: 20000 rows in ${secs}s, $rate rows/s"

# ---- max_wal_per_second: 2MB a second ----
"$PGSTEP" -P "$W/plans" step 0002_wal >"$W/expand2.log" 2>&1 || { cat "$W/expand2.log"; fail "expand failed"; }
lsn0=$(q "SELECT pg_current_wal_lsn()")
"$PGSTEP" -P "$W/plans" step 0002_wal >"$W/run2.log" 2>&1 || { cat "$W/run2.log"; fail "the backfill failed"; }
wal=$(q "SELECT pg_current_wal_lsn() - '$lsn0'::pg_lsn")
secs=$(done_secs "$W/run2.log" r2)
[ "$wal" -gt 4000000 ] || fail "the backfill wrote only $wal bytes of WAL: too little to measure a rate on"
rate=$(awk -v w="$wal" -v s="$secs" 'BEGIN { printf "%.0f", w / s }')
within 2097152 "$rate" || fail "max_wal_per_second 2MB: $wal bytes of WAL in ${secs}s, $rate bytes/s"
ok "max_wal_per_second 2MB: $wal bytes of WAL in ${secs}s, $rate bytes/s"
