#!/bin/sh
# The backfill walks text, uuid, bigint, identity and composite keys, and
# a unique index on NOT NULL columns when there is no primary key; a table
# with neither gets a clear error naming it; an empty table is done at
# once. A CONCURRENTLY build's INVALID leftover is dropped before a retry.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"

q "CREATE TABLE t_text (k text PRIMARY KEY, v int NOT NULL);
   INSERT INTO t_text SELECT 'key-' || g, g FROM generate_series(1, 3000) g;
   CREATE TABLE t_uuid (k uuid PRIMARY KEY DEFAULT gen_random_uuid(), v int NOT NULL);
   INSERT INTO t_uuid (v) SELECT g FROM generate_series(1, 3000) g;
   CREATE TABLE t_ident (k bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v int NOT NULL);
   INSERT INTO t_ident (v) SELECT g FROM generate_series(1, 3000) g;
   CREATE TABLE t_empty (k bigint PRIMARY KEY, v int NOT NULL);
   CREATE TABLE t_pair (a int, b text, v int NOT NULL, PRIMARY KEY (a, b));
   INSERT INTO t_pair SELECT g % 7, 'x\"{' || g || ',} ''', g FROM generate_series(1, 3000) g;
   CREATE TABLE t_uniq (code text NOT NULL, maybe int, v int NOT NULL);
   CREATE UNIQUE INDEX t_uniq_a_nullable ON t_uniq (maybe);
   CREATE UNIQUE INDEX t_uniq_b_partial ON t_uniq (v) WHERE v > 0;
   CREATE UNIQUE INDEX t_uniq_code ON t_uniq (code);
   INSERT INTO t_uniq SELECT 'c' || g, g, g FROM generate_series(1, 3000) g;
   CREATE TABLE t_nokey (v int NOT NULL, maybe int UNIQUE);
   INSERT INTO t_nokey SELECT g FROM generate_series(1, 10) g;" >/dev/null

plan() {
	cat >"$W/plans/$1.yaml" <<YAML
settings: {batch_size: 100}
operations:
  - add_column:
      table: $2
      column: {name: doubled, type: int}
      up: v * 2
YAML
}

for t in t_text t_uuid t_ident t_empty t_pair t_uniq; do
	plan "fill_$t" "$t"
	"$PGSTEP" -P "$W/plans" run "fill_$t" --to backfill 2>"$W/$t.log" || { cat "$W/$t.log"; fail "backfill of $t failed"; }
	[ "$(q "SELECT count(*) FROM $t WHERE doubled IS DISTINCT FROM v * 2")" = 0 ] || fail "$t: rows not filled"
	[ "$(q "SELECT rows_done FROM pgstep.backfill WHERE migration = 'fill_$t'")" = "$(q "SELECT count(*) FROM $t")" ] ||
		fail "$t: rows_done is not the row count"
	ok "backfill over the key of $t"
done
grep -q "walks the unique index t_uniq_code: the table has no primary key" "$W/t_uniq.log" ||
	{ cat "$W/t_uniq.log"; fail "t_uniq: the log does not say which unique index the backfill walks"; }
ok "t_uniq, without a primary key, is walked on its unique index on a NOT NULL column"

for t in t_nokey; do
	plan "fill_$t" "$t"
	set +e
	"$PGSTEP" -P "$W/plans" run "fill_$t" --to backfill 2>"$W/$t.log"
	rc=$?
	set -e
	[ $rc = 1 ] || fail "$t: expected exit 1, got $rc"
	grep -q "table t_nokey has neither a primary key nor a unique index on NOT NULL columns" "$W/$t.log" ||
		{ cat "$W/$t.log"; fail "no clear error without a key"; }
	# expand stands (it succeeded); the backfill phase failed and left nothing
	[ "$(q "SELECT phase || ' ' || status FROM pgstep.migrations WHERE name = 'fill_$t'")" = "expand failed" ] ||
		fail "$t: state after the failed backfill: $(q "SELECT phase, status FROM pgstep.migrations WHERE name = 'fill_$t'")"
	[ "$(q "SELECT count(*) FROM pgstep.backfill WHERE migration = 'fill_$t'")" = 0 ] || fail "$t: a checkpoint was left"
	ok "$t refused with a clear error"
done

# An INVALID index left by an earlier failed build: duplicates break it.
q "CREATE TABLE t_idx (id int PRIMARY KEY, email text); INSERT INTO t_idx SELECT g, 'same' FROM generate_series(1, 50) g" >/dev/null
psql -X -q -c "CREATE UNIQUE INDEX CONCURRENTLY t_idx_email ON t_idx (email)" 2>/dev/null && fail "the build should have failed"
[ "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_idx_email'::regclass")" = f ] || fail "no INVALID index to start from"
q "UPDATE t_idx SET email = 'user' || id" >/dev/null
cat >"$W/plans/idx.yaml" <<'YAML'
operations:
  - create_index: {name: t_idx_email, table: t_idx, columns: [email], unique: true}
YAML
"$PGSTEP" -P "$W/plans" step idx 2>"$W/idx.log" || { cat "$W/idx.log"; fail "create_index over an INVALID leftover failed"; }
grep -q "dropping INVALID index" "$W/idx.log" || { cat "$W/idx.log"; fail "the INVALID leftover was not dropped first"; }
[ "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_idx_email'::regclass")" = t ] || fail "the index is not valid"
ok "an INVALID leftover is dropped and the index rebuilt"
