#!/bin/sh
# script/demo itself, at a small size: it loads the users table, starts the
# application load and opens the console, which lists the example
# migrations and shows the sessions of the load; on quit the demo prints
# the application's latency and errors and removes its cluster.
set -eu
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"

tmpdir_for_test
tmux_start 110 34 env PGSTEP="$PGSTEP" PGSTEP_DEMO_SKIP_BUILD=1 PG_BINDIR="$PG_BINDIR" PGSTEP_DEMO_ENV="$TEST_TMP/demo.env" \
	sh "$top_srcdir/script/demo" --rows 20000 --rate 200
tmux_wait_for "0001_add_preferences" 120 || tmux_fail "the demo's console did not list the example plans"
for plan in "$top_srcdir"/plans/0*.yaml; do
	name=$(basename "$plan" .yaml)
	tmux_wait_for "$name" 5 || tmux_fail "the console does not list $name"
done
ok "the demo's console lists every example migration"

# The load's sessions show in the lock waits panel's title.
load_seen() { tmux_screen | grep -Eq 'Lock waits \([0-9]+\) of ([2-9]|[1-9][0-9]+) sessions'; }
wait_until 30 load_seen || tmux_fail "the console does not show the application load's sessions"
ok "the console shows the application load's sessions"

tmux_keys q
tmux_wait_for "application load:" 30 || tmux_fail "the demo did not report the application load on exit"
tmux_screen | grep -q "application load: [1-9][0-9]* transactions" || tmux_fail "the load ran no transaction"
tmux_screen | grep -q " 0 client error(s)" || tmux_fail "the application load had errors"
ok "on exit the demo reports the application's latency and no error"
rm -rf "$TEST_TMP"
