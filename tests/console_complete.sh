#!/bin/sh
# Tab on the `:` line: when the word cannot be completed further, the
# candidates are shown inside the console, above the line, while the
# header and the panels stay where they are; the next key takes them
# away; a unique candidate is completed.
set -eu
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/tmux.sh"
pg_start
W=$PGTEST_DIR/work
mkdir -p "$W/plans" "$W/home"

q "CREATE TABLE t (id int PRIMARY KEY)" >/dev/null
for n in 0001_alpha 0002_beta 0003_gamma; do
	cat >"$W/plans/$n.yaml" <<YAML
operations:
  - add_column:
      table: t
      column: {name: c_${n#*_}, type: text, nullable: true}
YAML
done

tmux_start 100 30 env HOME="$W/home" LC_ALL=C.UTF-8 "$PGSTEP" -d "$PGTEST_CONNINFO" -P "$W/plans"
tmux_wait_re '0003_gamma +- +pending'
header=$(tmux_screen | head -n 1)
case $header in " pgstep "*) ;; *) tmux_fail "no header line to start from" ;; esac

intact() {
	[ "$(tmux_screen | head -n 1 | cut -c1-20)" = "$(echo "$header" | cut -c1-20)" ] &&
		tmux_screen | grep -q "Migrations (3)" && tmux_screen | grep -q "Phases: "
}

tmux_keys :
tmux_type 'rollback 000'
tmux_keys Tab Tab
tmux_wait_for '3 completions of "000"'
for n in 0001_alpha 0002_beta 0003_gamma; do
	tmux_screen | grep -v "Migrations\|pending" | grep -q "$n" || tmux_fail "the candidate $n is not shown"
done
intact || tmux_fail "after Tab Tab the header or the panels are gone"
tmux_screen | grep -q '^:rollback 000 *$' || tmux_fail "the line is not what was typed"
ok "Tab Tab shows the 3 candidates inside the console; header and panels intact"

# The next key takes them away; a unique prefix completes.
tmux_type 2
tmux_wait_gone '3 completions of'
tmux_keys Tab
tmux_wait_re '^:rollback 0002_beta *$'
intact || tmux_fail "the header or the panels are gone"
tmux_keys Enter
tmux_wait_for 'nothing to roll back: 0002_beta is pending'
ok "typing on hides the candidates; Tab completes 0002_beta; the command runs"

# Nothing matches: said in the console too.
tmux_keys :
tmux_type 'rollback zz'
tmux_keys Tab
tmux_wait_for 'nothing matches'
intact || tmux_fail "the header or the panels are gone"
tmux_keys Escape
tmux_wait_gone 'nothing matches'
tmux_wait_gone ':rollback zz'
ok "a word nothing completes says so; Esc closes the line"

tmux_keys q
tmux_wait_for "[pgstep exited with status 0]"
