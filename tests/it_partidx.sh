#!/bin/sh
# Indexes on a partitioned table (src/partidx.h), where a build stops half
# way: a unique build that fails on a duplicate in its fifth partition
# (create_index and create_constraint alike) leaves nothing behind; a
# unique constraint without the partition column is refused before
# anything is built; a build killed with SIGKILL while it retries one
# partition (each failed attempt's INVALID index dropped before the next)
# resumes without building again what it built and attached, and rolled
# back after such a kill leaves nothing; a foreign table partition is
# refused by name.
set -eu
. "$top_srcdir/tests/lib/common.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans"

# ev: 5 partitions of a year, and 2024 partitioned again by half year; the
# leaves in build order: ev_2021 ev_2022 ev_2023 ev_2025 ev_2026
# ev_2024_h1 ev_2024_h2.
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE TABLE ev (id bigint NOT NULL, day date NOT NULL, code text NOT NULL, PRIMARY KEY (id, day))
    PARTITION BY RANGE (day);
CREATE TABLE ev_2021 PARTITION OF ev FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');
CREATE TABLE ev_2022 PARTITION OF ev FOR VALUES FROM ('2022-01-01') TO ('2023-01-01');
CREATE TABLE ev_2023 PARTITION OF ev FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE ev_2024 PARTITION OF ev FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY RANGE (day);
CREATE TABLE ev_2024_h1 PARTITION OF ev_2024 FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');
CREATE TABLE ev_2024_h2 PARTITION OF ev_2024 FOR VALUES FROM ('2024-07-01') TO ('2025-01-01');
CREATE TABLE ev_2025 PARTITION OF ev FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE ev_2026 PARTITION OF ev FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
INSERT INTO ev SELECT g, date '2021-01-01' + g % 2190, 'C' || g FROM generate_series(1, 30000) g;
-- a duplicate (code, day) in ev_2026, the fifth leaf built
INSERT INTO ev VALUES (40001, '2026-03-03', 'DUP'), (40002, '2026-03-03', 'DUP');
SQL

cat >"$W/plans/0001_ev_unique_index.yaml" <<'YAML'
operations:
  - create_index: {name: ev_code_day_idx, table: ev, columns: [code, day], unique: true}
YAML
cat >"$W/plans/0002_ev_unique_key.yaml" <<'YAML'
operations:
  - create_constraint: {name: ev_code_day_key, table: ev, type: unique, columns: [code, day]}
YAML
cat >"$W/plans/0003_ev_code_key.yaml" <<'YAML'
operations:
  - create_constraint: {name: ev_code_key, table: ev, type: unique, columns: [code]}
YAML
cat >"$W/plans/0004_ev_code_idx.yaml" <<'YAML'
settings: {lock_timeout: 100ms, lock_retries: 10000}
operations:
  - create_index: {name: ev_code_idx, table: ev, columns: [code, day]}
YAML

pgstep() {
	"$PGSTEP" -P "$W/plans" "$@"
}
state() {
	q "SELECT phase || ' ' || status FROM pgstep.migrations WHERE name = '$1'"
}
nothing_left() {
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname LIKE '%$1%'")" = 0 ] ||
		fail "$2: relations named like $1 are left: $(q "SELECT string_agg(relname, ', ') FROM pg_class WHERE relname LIKE '%$1%'")"
	[ "$(q "SELECT count(*) FROM pg_index WHERE NOT indisvalid")" = 0 ] || fail "$2: an INVALID index is left"
	[ "$(q "SELECT count(*) FROM pgstep.saved")" = 0 ] || fail "$2: rows are left in pgstep.saved"
}
schema_dump >"$W/schema.start"
[ -s "$W/schema.start" ] || fail "pg_dump printed nothing"

# ---- a unique build fails half way, on the duplicate in ev_2026 ----
for mig in 0001_ev_unique_index 0002_ev_unique_key; do
	if pgstep run $mig --to backfill >"$W/$mig.out" 2>&1; then
		fail "$mig ran despite the duplicate in ev_2026"
	fi
	grep -q "could not create unique index" "$W/$mig.out" || { cat "$W/$mig.out"; fail "$mig: the failure does not say why"; }
	grep -q "failed and was rolled back" "$W/$mig.out" || { cat "$W/$mig.out"; fail "$mig: the failure was not rolled back"; }
	# partitions before ev_2026 were built first: the undo had something to do
	[ "$(q "SELECT count(*) FROM pgstep.steps WHERE migration = '$mig' AND direction = 'forward' AND error IS NULL
	        AND sql LIKE 'CREATE UNIQUE INDEX CONCURRENTLY %'")" = 4 ] || fail "$mig: not 4 partitions built before the failure"
	[ "$(state $mig)" = "pending failed" ] || fail "$mig is $(state $mig) after its failed expand"
	nothing_left code_day "$mig failed and rolled back"
	schema_dump >"$W/schema.$mig"
	diff -u "$W/schema.start" "$W/schema.$mig" || fail "$mig: the schema after the failed expand is not the starting one"
	ok "$mig: failed at partition 5 of 7 on a duplicate; rolled back, nothing left"
done
q "DELETE FROM ev WHERE code = 'DUP'" >/dev/null

# ---- a unique constraint must hold the partition key ----
if pgstep run 0003_ev_code_key --to backfill >"$W/0003.out" 2>&1; then
	fail "a unique constraint without the partition column ran"
fi
grep -q "must include every partitioning column: ev_code_key lacks column day of the partition key of public.ev" "$W/0003.out" ||
	{ cat "$W/0003.out"; fail "the refusal does not name the missing partition column"; }
[ "$(q "SELECT count(*) FROM pgstep.steps WHERE migration = '0003_ev_code_key' AND sql LIKE '%CONCURRENTLY%'")" = 0 ] ||
	fail "an index was built before the partition key was checked"
nothing_left code_key "the refused constraint"
ok "a unique constraint without the partition column is refused before anything is built"

# ---- killed while it retries a partition; resumed ----
# A writer's transaction, left open on ev_2025 (idle, so it holds no
# snapshot that every CONCURRENTLY build would wait for), holds up that
# partition's build alone: it waits for the writer under lock_timeout and
# fails, leaving an INVALID index, which the runner drops before the next
# attempt (the drop, under lock_timeout too, waits for the writer as
# well). The others build.
blocker_idle() {
	[ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
	        WHERE a.application_name = 'blocker' AND a.state = 'idle in transaction' AND l.relation = 'ev_2025'::regclass")" = 1 ]
}
no_blocker() {
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'blocker'")" = 0 ]
}
blocker() {
	rm -f "$W/blocker.fifo"
	mkfifo "$W/blocker.fifo"
	PGAPPNAME=blocker psql -X -q -v ON_ERROR_STOP=1 <"$W/blocker.fifo" >"$W/blocker.out" 2>&1 &
	exec 3>"$W/blocker.fifo"
	echo "BEGIN; INSERT INTO ev_2025 VALUES (50001, '2025-05-05', 'BLOCK');" >&3
	wait_until 30 blocker_idle || { cat "$W/blocker.out"; fail "the blocking writer did not start"; }
}
unblock() {
	echo "ROLLBACK;" >&3
	exec 3>&-
	wait_until 30 no_blocker || fail "the blocking writer did not go"
}
no_pgstep_session() {
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'pgstep:%'")" = 0 ]
}
# twice: the first drop, held up by the writer too, gave up in lock_timeout
retried_ev_2025() {
	[ "$(grep -c "dropping INVALID index \"public\".\"ev_2025_code_day_idx\" left by a failed build" "$W/kill.log")" -ge 2 ]
}
# After SIGKILL the server may still hold the dead session's advisory lock
# for a moment: retry while the migration is reported held (exit 3).
run_after_kill() {
	for _i in $(seq 1 50); do
		set +e
		pgstep "$@" >>"$W/resume.log" 2>&1
		_rc=$?
		set -e
		[ $_rc = 3 ] || return $_rc
		sleep 0.2
	done
	return 3
}
kill_mid_build() {
	blocker
	: >"$W/kill.log"
	"$PGSTEP" -P "$W/plans" run 0004_ev_code_idx --to backfill >"$W/kill.log" 2>&1 &
	pid=$!
	wait_until 60 retried_ev_2025 || { cat "$W/kill.log"; fail "the build of ev_2025 did not fail and retry"; }
	kill -KILL $pid
	wait $pid 2>/dev/null || true
	wait_until 30 no_pgstep_session || fail "the killed pgstep's session did not go away"
	[ "$(q "SELECT count(*) FROM pg_partition_tree('ev_code_idx') t JOIN pg_class c ON c.oid = t.relid WHERE c.relkind = 'i'")" = 3 ] ||
		fail "not the 3 partitions before ev_2025 attached when killed"
	[ "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = 'ev_code_idx'::regclass")" = f ] ||
		fail "ev_code_idx is valid with partitions missing"
}

kill_mid_build
ok "killed with SIGKILL while ev_2025's build retried (its INVALID index dropped, under lock_timeout, before each retry), 3 partitions attached"
unblock
run_after_kill run 0004_ev_code_idx --to backfill || { cat "$W/resume.log"; fail "the resumed run failed"; }
grep -q "partition 1 of 7, ev_2021: index \"public\".\"ev_2021_code_day_idx\" already built and attached" "$W/resume.log" ||
	{ cat "$W/resume.log"; fail "the resumed run did not say it kept ev_2021's index"; }
[ "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = 'ev_code_idx'::regclass")" = t ] || fail "ev_code_idx is not valid after the resumed run"
[ "$(q "SELECT count(*) FROM pg_partition_tree('ev_code_idx') t JOIN pg_class c ON c.oid = t.relid JOIN pg_index i ON i.indexrelid = t.relid
        WHERE c.relkind = 'i' AND i.indisvalid")" = 7 ] || fail "not 7 valid partition indexes attached after the resumed run"
[ "$(q "SELECT count(*) FROM pg_index WHERE NOT indisvalid")" = 0 ] || fail "an INVALID index is left after the resumed run"
# each partition's index built once, over the killed run and the resumed one
[ "$(q "SELECT count(*) || ' ' || count(DISTINCT sql) FROM pgstep.steps WHERE migration = '0004_ev_code_idx'
        AND direction = 'forward' AND error IS NULL AND sql LIKE 'CREATE INDEX CONCURRENTLY %'")" = "7 7" ] ||
	fail "the partitions' indexes were not each built once: $(q "SELECT string_agg(sql, E'\n') FROM pgstep.steps WHERE migration = '0004_ev_code_idx' AND error IS NULL AND sql LIKE 'CREATE INDEX CONCURRENTLY %'")"
ok "resumed: the 3 attached partitions kept, the other 4 built, each once; the index valid"

# ---- rolled back after a kill ----
pgstep rollback 0004_ev_code_idx >>"$W/resume.log" 2>&1 && pgstep rollback 0004_ev_code_idx >>"$W/resume.log" 2>&1 ||
	{ cat "$W/resume.log"; fail "rolling back the built index failed"; }
nothing_left code_day "after rolling back the whole index"
kill_mid_build
unblock
run_after_kill rollback 0004_ev_code_idx || { cat "$W/resume.log"; fail "the rollback after the kill failed"; }
[ "$(state 0004_ev_code_idx)" = "pending ok" ] || fail "0004_ev_code_idx is $(state 0004_ev_code_idx) after its rollback"
nothing_left code_day "rolled back after the kill"
schema_dump >"$W/schema.end"
diff -u "$W/schema.start" "$W/schema.end" || fail "the schema after the rollback is not the starting one"
ok "rolled back after a kill half way: the table's index, the partitions' and the INVALID leftover dropped"

# ---- a foreign table partition cannot be indexed ----
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE EXTENSION file_fdw;
CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;
CREATE TABLE logs (day date NOT NULL, line text) PARTITION BY RANGE (day);
CREATE TABLE logs_2026 PARTITION OF logs FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE FOREIGN TABLE logs_archive PARTITION OF logs FOR VALUES FROM ('2000-01-01') TO ('2026-01-01')
    SERVER files OPTIONS (filename '/dev/null');
SQL
cat >"$W/plans/0005_logs_idx.yaml" <<'YAML'
operations:
  - create_index: {name: logs_line_idx, table: logs, columns: [line]}
YAML
if pgstep run 0005_logs_idx --to backfill >"$W/0005.out" 2>&1; then
	fail "an index on a table with a foreign partition ran"
fi
grep -q "partition \"public\".\"logs_archive\" of logs is a foreign table" "$W/0005.out" ||
	{ cat "$W/0005.out"; fail "the refusal does not name the foreign partition"; }
nothing_left line_idx "the refused index"
ok "a foreign table partition is refused by name, nothing left"
