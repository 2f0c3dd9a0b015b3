#!/bin/sh
# Before a contract that destroys data, the name prompt says what it
# drops, and how many values the backfill could not convert go with it.
# After such a contract, `r` is not offered: the footer shows it
# unavailable, the help says why, and the key refuses at once instead of
# asking for the name and refusing after.
set -eu
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/home"

load_users 2000
cp "$top_srcdir/plans/0003_age_to_integer.yaml" "$W/plans/"
M=0003_age_to_integer
# One in 97 ages is 'unknown': those do not convert to integer.
bad=$(q "SELECT count(*) FROM users WHERE age !~ '^[0-9]+\$'")
[ "$bad" -gt 0 ] || fail "no unconvertible age to start from"
"$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans" run "$M" --to switch >"$W/run.log" 2>&1 ||
	{ cat "$W/run.log"; fail "expand, backfill and switch failed"; }

tmux_start 120 40 env HOME="$W/home" LC_ALL=C.UTF-8 "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans"
tmux_wait_re "$M +switch "
# Before contract: r is offered (switch can be undone).
tmux_wait_for " r rollback "

tmux_keys s
tmux_wait_for "Contract of $M drops"
tmux_wait_re "users: drop trigger .* and the old column [_a-z]*age_old"
tmux_wait_for "users: $bad values that did not convert are dropped with it"
tmux_wait_for "contract drops data (above) and cannot be undone; type \"$M\" to run it:"
ok "the contract's prompt says what it drops: the old column, and the $bad values that did not convert"

tmux_type "$M"
tmux_keys Enter
tmux_wait_re "$M +contract "
tmux_wait_gone "Contract of $M drops"

# After it: r is shown unavailable, and says why at once.
tmux_wait_for " r no rollback "
tmux_screen | tail -n 1 | grep -q " r rollback " && tmux_fail "the footer still offers r rollback"
tmux_keys r
tmux_wait_for "cannot roll back contract of $M: it destroyed data (drop trigger"
tmux_screen | grep -q "type its name" && tmux_fail "r asked for the name"
ok "after the contract, the footer shows r unavailable and r refuses at once, naming the step"

tmux_keys '?'
tmux_wait_for "pgstep help"
tmux_wait_for "unavailable now: cannot roll back contract of $M: it destroyed data"
tmux_keys q
tmux_wait_gone "pgstep help"
ok "the help says rollback is unavailable now, and why"

# :rollback too refuses before asking.
tmux_keys :
tmux_type "rollback $M"
tmux_keys Enter
tmux_wait_for "cannot roll back contract of $M: it destroyed data"
tmux_screen | grep -q "type its name" && tmux_fail ":rollback asked for the name"
ok ":rollback refuses at once too"

tmux_keys q
tmux_wait_for "[pgstep exited with status 0]"
