#!/bin/sh
# In ASCII (LANG=C) the scroll markers of a list that does not fit are
# "v" and "^": they get a column of their own, after a blank, instead of
# replacing the last character of a note ("INVALIDv").
set -eu
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/home"

# Eight plans that do not load: each has a long INVALID note.
for i in 1 2 3 4 5 6 7 8; do
	printf 'operations:\n  - no_such_operation: {table: t}\n' >"$W/plans/000${i}_bad.yaml"
done

tmux_start 100 24 env HOME="$W/home" LANG=C LC_ALL=C "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans"
tmux_wait_for "Migrations (8)"
tmux_wait_re '0001_bad .*INVALID'
# The migrations panel is the left 61 columns (100 - 39 for the phases).
rows() { tmux_screen | grep -E '^[ >] 000[1-8]_bad ' | cut -c1-61; }
rows >"$W/rows"
[ "$(wc -l <"$W/rows")" -ge 3 ] || tmux_fail "fewer than 3 migration rows shown"
[ "$(wc -l <"$W/rows")" -lt 8 ] || tmux_fail "all 8 rows fit: nothing scrolls"
last=$(tail -n 1 "$W/rows")
case $last in
*'~ v') ;;
*) tmux_fail "the last row does not end with the note cut (~), a blank and the marker v: \"$last\"" ;;
esac
ok "the down marker has its own column: \"$(echo "$last" | sed 's/.*INVALID/INVALID/')\""

tmux_keys End
tmux_wait_re '^> 0008_bad '
first=$(rows | head -n 1)
case $first in
*'~ ^') ;;
*) tmux_fail "the first row does not end with the note cut (~), a blank and the marker ^: \"$first\"" ;;
esac
ok "the up marker has its own column: \"$(echo "$first" | sed 's/.*INVALID/INVALID/')\""

tmux_keys q
tmux_wait_for "[pgstep exited with status 0]"
