#!/bin/sh
# bench/run --quick completes and prints its table with a row for every
# case, so the bench never rots. Its numbers are not checked: they are
# information (and noisy), and a target not met is reported, not failed.
set -eu
. "$top_srcdir/tests/lib/common.sh"
tmpdir_for_test
trap 'rm -rf "$TEST_TMP"' EXIT

# bench/run starts (and removes) a cluster of its own; the report goes to
# a temp file, not over bench/results/latest.md of a real run.
if ! PGSTEP=$PGSTEP bash "$top_srcdir/bench/run" --quick --out "$TEST_TMP/latest.md" \
	>"$TEST_TMP/stdout" 2>"$TEST_TMP/stderr"; then
	tail -n 40 "$TEST_TMP/stderr"
	fail "bench/run --quick failed"
fi
ok "bench/run --quick completed: $(tail -n 1 "$TEST_TMP/stderr")"

for f in stdout latest.md; do
	for row in '| case | naive | pgstep | ratio | target | met? |' \
		'| 1. backfill time' '| 2. type change' '| 3. lock queue' '| 4. monitor' \
		'| 5. memory' '| 6. batch sizing: backfill rows/s' '| 6. batch sizing: app p99' \
		'| 7. console: key to screen'; do
		grep -qF "$row" "$TEST_TMP/$f" || { cat "$TEST_TMP/$f"; fail "no \"$row\" row in $f"; }
	done
	grep -q '^- Machine: [0-9]* cores' "$TEST_TMP/$f" || fail "$f does not give the machine"
	grep -q '^- PostgreSQL [0-9]' "$TEST_TMP/$f" || fail "$f does not give the PostgreSQL version"
done
ok "the table has every case row, on stdout and in the report file"
