#!/bin/sh
# One round trip a console refresh: the monitor sends every panel's
# queries and the migration list (all prepared once) as one query, and the
# worker, idle, sends nothing of its own to refresh the list. Checked in
# the server's statement log: while the console sits idle, no statement
# of pgstep:worker, and every poll of the monitor carries the list.
set -eu
PGTEST_SERVER_OPTS="-c log_statement=all -c log_line_prefix='%m [%a] '"
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
LOG=$PGTEST_DIR/server.log
mkdir -p "$W/plans" "$W/home"
# one table each: open migrations may not share one
q "CREATE TABLE t1 (id int PRIMARY KEY); CREATE TABLE t2 (id int PRIMARY KEY);
   CREATE TABLE t3 (id int PRIMARY KEY); CREATE TABLE t4 (id int PRIMARY KEY)" >/dev/null
for n in 1 2 3; do
	cat >"$W/plans/000${n}_c$n.yaml" <<YAML
operations:
  - add_column:
      table: t$n
      column: {name: c, type: text, nullable: true}
YAML
	"$PGSTEP" -P "$W/plans" step "000${n}_c$n" >/dev/null 2>&1 || fail "expand of 000${n}_c$n failed"
done

tmux_start 120 30 env HOME="$W/home" "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans"
tmux_wait_re '0003_c3 +expand +ok'
tmux_wait_for "Lock waits (0)"
# The console settles (its first refreshes read the list themselves).
polled() { tmux_screen | sed -n 's/.*polled \([0-9:]*\) .*/\1/p' | head -n 1; }
polled_since() { _p=$(polled); [ -n "$_p" ] && [ "$_p" != "$1" ]; }
wait_polls() {
	for _i in $(seq "$1"); do
		_p0=$(polled)
		wait_until 20 polled_since "$_p0" || tmux_fail "the monitor stopped refreshing"
	done
}
wait_polls 2
from=$(wc -l <"$LOG")
# Long enough for two of the worker's refreshes (every 2 s).
wait_polls 5
tail -n +"$((from + 1))" "$LOG" >"$W/idle.log"
worker=$(grep -c '\[pgstep:worker\] LOG:  statement:' "$W/idle.log" || true)
polls=$(grep -c '\[pgstep:monitor\] LOG:  statement:' "$W/idle.log" || true)
with_list=$(grep '\[pgstep:monitor\] LOG:  statement:' "$W/idle.log" | grep -c 'EXECUTE pgstep_overview_2' || true)
[ "$polls" -ge 4 ] || { tail -n 20 "$W/idle.log"; fail "only $polls statements of the monitor in the log"; }
[ "$worker" = 0 ] || { grep '\[pgstep:worker\]' "$W/idle.log" | head -n 5; fail "the idle worker sent $worker statements"; }
[ "$with_list" = "$polls" ] || fail "$with_list of the monitor's $polls polls carried the migration list"
grep -q '\[pgstep:monitor\] LOG:  statement:.*PREPARE pgstep_' "$W/idle.log" &&
	fail "the monitor prepared its statements again"
executed=$(grep '\[pgstep:monitor\] LOG:  statement:' "$W/idle.log" | grep -c 'EXECUTE pgstep_monitor_0;' || true)
[ "$executed" = "$polls" ] || fail "$executed of the monitor's $polls polls ran its prepared statements"
ok "idle, the console's refresh is one statement of the monitor ($polls polls, each with the list), none of the worker"

# What the list shows comes from the monitor's read: a migration recorded
# by another terminal appears without the console asking.
cat >"$W/plans/0004_c4.yaml" <<'YAML'
operations:
  - add_column:
      table: t4
      column: {name: c, type: text, nullable: true}
YAML
"$PGSTEP" -P "$W/plans" step 0004_c4 >/dev/null 2>&1 || fail "expand of 0004_c4 failed"
tmux_wait_re '0004_c4 +expand +ok' 20
ok "a migration stepped from another terminal shows in the list"
tmux_stop
