#!/bin/sh
# The progress panel during an index build on a partitioned table: pgstep
# builds it partition by partition, and the panel says which partition of
# how many is being built, with that partition's phase, blocks and tuples
# (pg_stat_progress_create_index). A writer's open transaction on the
# third partition holds its build in "waiting for writers before build"
# until the test ends it; then the build finishes.
set -eu
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/home"

psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE TABLE ev (id bigint NOT NULL, day date NOT NULL, code text NOT NULL) PARTITION BY RANGE (day);
CREATE TABLE ev_2021 PARTITION OF ev FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');
CREATE TABLE ev_2022 PARTITION OF ev FOR VALUES FROM ('2022-01-01') TO ('2023-01-01');
CREATE TABLE ev_2023 PARTITION OF ev FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE ev_2024 PARTITION OF ev FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO ev SELECT g, date '2021-01-01' + g % 1460, 'C' || g FROM generate_series(1, 20000) g;
SQL
cat >"$W/plans/0001_ev_code.yaml" <<'YAML'
settings: {lock_timeout: 60s, lock_retries: 3}
operations:
  - create_index: {name: ev_code_idx, table: ev, columns: [code]}
YAML

# The writer: idle in its transaction, so it holds no snapshot that the
# other partitions' builds would wait for.
blocker_idle() {
	[ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
	        WHERE a.application_name = 'blocker' AND a.state = 'idle in transaction' AND l.relation = 'ev_2023'::regclass")" = 1 ]
}
mkfifo "$W/blocker.fifo"
PGAPPNAME=blocker psql -X -q -v ON_ERROR_STOP=1 <"$W/blocker.fifo" >"$W/blocker.out" 2>&1 &
TMUX_KILL_PIDS="$TMUX_KILL_PIDS $!"
exec 3>"$W/blocker.fifo"
echo "BEGIN; INSERT INTO ev_2023 VALUES (90001, '2023-03-03', 'BLOCK');" >&3
wait_until 20 blocker_idle || { cat "$W/blocker.out"; fail "the writer did not start"; }

tmux_start 100 30 env HOME="$W/home" LC_ALL=C "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans" --interval 1
tmux_wait_re '0001_ev_code +- +pending'
tmux_keys s
tmux_wait_re 'ev: partition 3 of 4, ev_2023 \(pid [0-9]+\): waiting for writers before build' 30
tmux_screen | grep -qE 'blocks [0-9]+/[0-9]+ +tuples [0-9]+/[0-9]+' ||
	tmux_fail "the partition's blocks and tuples are not shown"
tmux_screen | grep -qF 'Index build public.ev_2023_code_idx' || tmux_fail "the panel's title does not name the partition's index"
[ "$(q "SELECT count(*) FROM pg_partition_tree('ev_code_idx') t JOIN pg_class c ON c.oid = t.relid WHERE c.relkind = 'i'")" = 2 ] ||
	tmux_fail "not the two partitions before ev_2023 built and attached while it waits"
ok "the progress panel shows partition 3 of 4 of ev, its phase, blocks and tuples"

echo "ROLLBACK;" >&3
exec 3>&-
wait_until 60 sh -c "[ \"\$(psql -X -At -c \"SELECT phase FROM pgstep.migrations WHERE name = '0001_ev_code'\")\" = expand ]" ||
	tmux_fail "the build did not finish once the writer ended"
tmux_wait_gone 'partition 3 of 4'
[ "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = 'ev_code_idx'::regclass")" = t ] || tmux_fail "ev_code_idx is not valid"
ok "once the writer ended, the build went on to partition 4 and the index is valid"

tmux_keys q
tmux_wait_for "[pgstep exited with status 0]"
