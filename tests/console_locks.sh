#!/bin/sh
# The lock waits panel: a session waiting for a lock is shown with its
# blocker's pid within two monitor refreshes; pgstep's own DDL waiting for
# its lock is marked and the progress panel says WAITING: lock;
# `:terminate PID` (after y) frees it. The lock queue: a reader holds the
# table, an ALTER waits for it, and a later SELECT is shown blocked by the
# ALTER's pid, which only pg_blocking_pids() reveals; `:cancel PID` ends
# the ALTER's wait.
set -eu
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/home"

q "CREATE TABLE accounts (id int PRIMARY KEY, balance int); INSERT INTO accounts SELECT g, 0 FROM generate_series(1, 1000) g" >/dev/null
cat >"$W/plans/0001_addx.yaml" <<'YAML'
settings:
  lock_timeout: 5s
  lock_retries: 100
operations:
  - add_column:
      table: accounts
      column: {name: note, type: text, nullable: true}
YAML

pid_of() { q "SELECT pid FROM pg_stat_activity WHERE application_name = '$1'"; }
started() { [ -n "$(pid_of "$1")" ]; }
sleeping() { [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$1' AND wait_event = 'PgSleep'")" = 1 ]; }
waiting() { [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$1' AND wait_event_type = 'Lock'")" = 1 ]; }
# A session in the background; the cluster's teardown ends it.
session() {
	PGAPPNAME=$1 psql -X -q -c "$2" >/dev/null 2>&1 &
	TMUX_KILL_PIDS="$TMUX_KILL_PIDS $!"
}
polled() { tmux_screen | sed -n 's/.*polled \([0-9:]*\) .*/\1/p' | head -n 1; }
polled_since() { _p=$(polled); [ -n "$_p" ] && [ "$_p" != "$1" ]; }
# Two refreshes of the monitor from now: what it saw must be on screen.
wait_refreshes() {
	for _i in 1 2; do
		_p0=$(polled)
		wait_until 20 polled_since "$_p0" || tmux_fail "the monitor stopped refreshing"
	done
}
# A row of the lock panel: PID ... MODE ... BLOCKERS
lock_row() {
	tmux_screen | grep -E "^. $1 +[0-9.]+[a-z0-9]+ +$2 .* $3( |,|$)"
}

tmux_start 100 30 env HOME="$W/home" LC_ALL=C "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans" --interval 1
tmux_wait_re '0001_addx +- +pending'
tmux_wait_for "Lock waits (0)"

# A holder and a waiter.
session holder "BEGIN; LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(600)"
wait_until 20 sleeping holder || fail "the holder did not take its lock"
holder=$(pid_of holder)
session reader "SELECT count(*) FROM accounts"
wait_until 20 waiting reader || fail "the reader is not waiting for its lock"
reader=$(pid_of reader)
wait_refreshes
lock_row "$reader" AccessShare "$holder" >/dev/null ||
	tmux_fail "within two refreshes, no row shows pid $reader waiting for AccessShare, blocked by $holder"
tmux_wait_for "Lock waits (1)"
ok "a waiting pid ($reader) is shown with its blocker ($holder) within two refreshes"

# pgstep's own ALTER waits too: marked, and the progress panel says why.
tmux_keys s
tmux_wait_for "WAITING: lock"
wait_until 30 waiting pgstep:0001_addx:expand || tmux_fail "pgstep's ALTER never waited for its lock"
wait_refreshes
tmux_screen | grep -E "^\* [0-9]+ .*AccessExclusive .*pgstep:" >/dev/null ||
	tmux_fail "pgstep's own waiting session is not marked with * in the lock waits"
ok "pgstep's own waiting ALTER is marked and WAITING: lock is shown"

# :terminate asks first, then frees the table.
tmux_keys :
tmux_type "terminate $holder"
tmux_keys Enter
tmux_wait_for "terminate (end the session of) backend $holder"
tmux_keys y
# What stays on screen: the log's outcome (the status line's "sent" is
# replaced as soon as the worker sees the session gone).
tmux_wait_for "terminate pid $holder: done; the session is gone" 30
tmux_wait_for "Lock waits (0)" 30
tmux_wait_re "  expand +done "
ok ":terminate $holder (after y) frees the lock; expand finishes"

# The lock queue.
session reader2 "BEGIN; SELECT count(*) FROM accounts; SELECT pg_sleep(600)"
wait_until 20 sleeping reader2 || fail "the long reader is not in its sleep"
reader2=$(pid_of reader2)
session alter "ALTER TABLE accounts ADD COLUMN flag int"
wait_until 20 waiting alter || fail "the ALTER is not waiting for its lock"
alter=$(pid_of alter)
session late "SELECT balance FROM accounts WHERE id = 1"
wait_until 20 waiting late || fail "the late SELECT is not waiting"
late=$(pid_of late)
wait_refreshes
lock_row "$alter" AccessExclusive "$reader2" >/dev/null ||
	tmux_fail "the ALTER ($alter) is not shown blocked by the reader ($reader2)"
lock_row "$late" AccessShare "$alter" >/dev/null ||
	tmux_fail "the late SELECT ($late) is not shown blocked by the ALTER ($alter): the lock queue"
tmux_wait_for "Lock waits (2)"
# The longest wait first: the ALTER began waiting before the SELECT.
first=$(tmux_screen | grep -E "^. [0-9]+ +[0-9.]+[a-z0-9]+ +Access" | head -n 1 | cut -c3- | awk '{print $1}')
[ "$first" = "$alter" ] || tmux_fail "the longest wait ($alter) is not first (got $first)"
ok "the lock queue: SELECT $late blocked by ALTER $alter, ALTER blocked by reader $reader2"

# Enter on the lock panel shows the wait in full.
tmux_keys Tab
tmux_keys Enter
tmux_wait_for "Lock wait of pid $alter"
tmux_wait_for "ALTER TABLE accounts ADD COLUMN flag int"
tmux_keys Escape
tmux_wait_for "Lock waits (2)"

# :cancel the ALTER: the SELECT behind it goes through.
tmux_keys :
tmux_type "cancel $alter"
tmux_keys Enter
tmux_wait_for "cancel the query of backend $alter (alter)? [y/n]"
tmux_keys y
tmux_wait_for "Lock waits (0)" 30
ok ":cancel $alter ends the queue"

tmux_keys q
tmux_wait_for "[pgstep exited with status 0]"
