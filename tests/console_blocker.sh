#!/bin/sh
# pgstep's own DDL retries its lock behind a session idle in a young
# transaction (seconds old, far from the one-minute "long transaction"
# list). Between attempts nobody waits, yet within a few seconds the lock
# waits panel names that session as blocking pgstep (pid, state and for
# how long, the lock it holds, application, query), and says how many
# sessions queued behind pgstep's attempts and for how long.
set -eu
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/home"

q "CREATE TABLE accounts (id int PRIMARY KEY, balance int); INSERT INTO accounts SELECT g, 0 FROM generate_series(1, 1000) g" >/dev/null
cat >"$W/plans/0001_note.yaml" <<'YAML'
settings:
  lock_timeout: 200ms
  lock_retries: 1000
operations:
  - add_column:
      table: accounts
      column: {name: note, type: text, nullable: true}
YAML

# The holder: a psql fed through a fifo, left idle inside its transaction.
mkfifo "$W/holder.in"
PGAPPNAME=holder psql -X -q <"$W/holder.in" >/dev/null 2>&1 &
TMUX_KILL_PIDS="$TMUX_KILL_PIDS $!"
exec 3>"$W/holder.in"
echo "BEGIN; SELECT count(*) FROM accounts;" >&3
idle_in_txn() { [ "$(q "SELECT state FROM pg_stat_activity WHERE application_name = 'holder'")" = "idle in transaction" ]; }
wait_until 20 idle_in_txn || fail "the holder is not idle in its transaction"
holder=$(q "SELECT pid FROM pg_stat_activity WHERE application_name = 'holder'")

tmux_start 160 40 env HOME="$W/home" LC_ALL=C.UTF-8 "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans" --interval 1
tmux_wait_re '0001_note +- +pending'
started=$(date +%s)
tmux_keys s
tmux_wait_for "WAITING: lock"
tmux_wait_re "BLOCKS PGSTEP pid $holder idle in transaction [0-9.]+m?s, holds AccessShare, transaction [0-9.]+m?s" 15
tmux_wait_re "^ +holder: SELECT count\\(\\*\\) FROM accounts;"
tmux_wait_re "pgstep \\(pid [0-9]+\\) retries AccessExclusive on public.accounts: "
tmux_wait_for "pgstep blocked by 1"
age=$(q "SELECT round(extract(epoch FROM now() - xact_start))::int FROM pg_stat_activity WHERE pid = $holder")
[ "$age" -lt 60 ] || fail "the holder's transaction is ${age}s old: not a young one any more"
ok "$(( $(date +%s) - started ))s after s, pid $holder (idle in a ${age}s-old transaction) is shown blocking pgstep"

# Readers arriving during an attempt queue behind pgstep's lock request.
( while :; do psql -X -q -c "SELECT 1 FROM accounts LIMIT 1" >/dev/null 2>&1 || true; done ) &
readers=$!
TMUX_KILL_PIDS="$TMUX_KILL_PIDS $readers"
tmux_wait_re "attempt waited [0-9.]+m?s, [0-9]+ sessions? queued behind it for up to [0-9.]+m?s" 30
kill "$readers" 2>/dev/null || true
ok "the sessions queued behind an attempt, and how long they waited, are shown"

# The holder ends its transaction: pgstep gets its lock, the panel clears.
echo "COMMIT;" >&3
tmux_wait_re "  expand +done " 30
tmux_wait_gone "BLOCKS PGSTEP"
tmux_wait_gone "pgstep blocked by"
ok "once the holder commits, expand finishes and the blocker leaves the panel"

exec 3>&-
tmux_keys q
tmux_wait_for "[pgstep exited with status 0]"
