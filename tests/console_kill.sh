#!/bin/sh
# :cancel and :terminate say what they did. On a session idle in a
# transaction, :cancel would change nothing (pg_cancel_backend stops only
# a running query): the console says so and offers to terminate instead,
# whether the monitor showed the session (it blocks pgstep) or the worker
# finds it out. After either, the status line says whether the session
# is gone.
set -eu
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/home"

q "CREATE TABLE accounts (id int PRIMARY KEY); INSERT INTO accounts SELECT generate_series(1, 100);
   CREATE TABLE other (id int PRIMARY KEY)" >/dev/null
cat >"$W/plans/0001_note.yaml" <<'YAML'
settings:
  lock_timeout: 200ms
  lock_retries: 1000
operations:
  - add_column:
      table: accounts
      column: {name: note, type: text, nullable: true}
YAML

# Sessions fed through fifos, so that they stay connected between statements.
mkfifo "$W/holder.in" "$W/sleeper.in" "$W/idle.in"
for s in holder sleeper idle; do
	PGAPPNAME=$s psql -X -q <"$W/$s.in" >/dev/null 2>&1 &
	TMUX_KILL_PIDS="$TMUX_KILL_PIDS $!"
done
exec 3>"$W/holder.in" 4>"$W/sleeper.in" 5>"$W/idle.in"
echo "BEGIN; SELECT count(*) FROM accounts;" >&3
echo "BEGIN; SELECT pg_sleep(600);" >&4
echo "BEGIN; SELECT count(*) FROM other;" >&5
state_of() { q "SELECT state FROM pg_stat_activity WHERE application_name = '$1'"; }
in_state() { [ "$(state_of "$1")" = "$2" ]; }
wait_until 20 in_state holder "idle in transaction" || fail "the holder is not idle in its transaction"
wait_until 20 in_state sleeper active || fail "the sleeper is not in its sleep"
wait_until 20 in_state idle "idle in transaction" || fail "the idle session is not idle in its transaction"
pid_of() { q "SELECT pid FROM pg_stat_activity WHERE application_name = '$1'"; }
holder=$(pid_of holder)
sleeper=$(pid_of sleeper)
idle=$(pid_of idle)
exists() { [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE pid = $1")" = 1 ]; }
gone() { ! exists "$1"; }

tmux_start 160 40 env HOME="$W/home" LC_ALL=C.UTF-8 "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans" --interval 1
tmux_wait_re '0001_note +- +pending'
tmux_keys s
tmux_wait_re "BLOCKS PGSTEP pid $holder idle in transaction"

# 1. :cancel on the blocker the panel shows idle in transaction: said at
# once, and terminate offered; n keeps it.
tmux_keys :
tmux_type "cancel $holder"
tmux_keys Enter
tmux_wait_re "pid $holder: idle in transaction [0-9.]+m?s, cancel cannot end it; terminate\\? \\[y/n\\]"
tmux_keys n
tmux_wait_for "cancelled"
exists "$holder" || fail "answering n ended pid $holder"
ok ":cancel $holder (idle in transaction) says cancel changes nothing and offers to terminate; n keeps it"

# y terminates it, and the outcome is reported.
tmux_keys :
tmux_type "cancel $holder"
tmux_keys Enter
tmux_wait_for "pid $holder: idle in transaction"
tmux_keys y
tmux_wait_for "terminate pid $holder: done; the session is gone"
gone "$holder" || fail "pid $holder is still there"
tmux_wait_re "  expand +done " 30
ok "y terminates pid $holder; the status line says the session is gone; expand finishes"

# 2. :cancel on a running query: done, and the session is still there.
tmux_keys :
tmux_type "cancel $sleeper"
tmux_keys Enter
tmux_wait_for "cancel the query of backend $sleeper? [y/n]"
tmux_keys y
tmux_wait_for "cancel pid $sleeper: done; now idle in transaction (aborted): :terminate $sleeper ends it"
exists "$sleeper" || fail "cancel ended the session $sleeper"
ok ":cancel $sleeper stops its query and says the session stays, idle in transaction (aborted)"

# :terminate on it: gone.
tmux_keys :
tmux_type "terminate $sleeper"
tmux_keys Enter
tmux_wait_for "terminate (end the session of) backend $sleeper? [y/n]"
tmux_keys y
tmux_wait_for "terminate pid $sleeper: done; the session is gone"
gone "$sleeper" || fail "pid $sleeper is still there"
ok ":terminate $sleeper ends the session and says so"

# 3. A session the console has not shown: the worker finds it idle in a
# transaction, sends nothing, and says what would work.
tmux_keys :
tmux_type "cancel $idle"
tmux_keys Enter
tmux_wait_for "cancel the query of backend $idle? [y/n]"
tmux_keys y
tmux_wait_for "cancel pid $idle: idle in transaction, no query to cancel; :terminate $idle ends it"
exists "$idle" || fail "pid $idle was ended"
ok ":cancel $idle (idle in transaction, not on screen) is refused with the advice to :terminate"

exec 3>&- 4>&- 5>&-
tmux_keys q
tmux_wait_for "[pgstep exited with status 0]"
