# Drives the console in a detached tmux session of fixed size on a private
# server (its own socket, so tests run in parallel), and asserts on what
# `tmux capture-pane` shows. Source after common.sh and pg_start.
#
#   tmux_start COLS ROWS CMD...   starts CMD in the session
#   tmux_keys KEY...              tmux send-keys (names like Enter, Up, C-l)
#   tmux_type TEXT                sends TEXT literally
#   tmux_wait_for TEXT [SECS]     until the screen shows TEXT (fixed string)
#   tmux_wait_re REGEX [SECS]     until a screen line matches REGEX (grep -E)
#   tmux_wait_gone TEXT [SECS]    until the screen no longer shows TEXT
#   tmux_screen                   prints the screen
#   tmux_fail MSG                 fails the test with the screen dump
#   tmux_resize COLS ROWS
#
# Waits poll the screen every 100 ms up to a deadline (default 20 s): a
# bound for slow machines, never a timing assertion.

TMUX_DIR=
TMUX_SESSION=console
TMUX_KILL_PIDS=		# background processes of the test, ended at exit

tmux_cmd() {
	tmux -S "$TMUX_DIR/sock" -f /dev/null "$@"
}

tmux_stop() {
	if [ -n "$TMUX_DIR" ] && [ -S "$TMUX_DIR/sock" ]; then
		tmux_cmd kill-server >/dev/null 2>&1 || true
	fi
	[ -n "$TMUX_DIR" ] && rm -rf "$TMUX_DIR"
	TMUX_DIR=
}

tmux_cleanup() {
	tmux_stop
	for _p in $TMUX_KILL_PIDS; do
		kill "$_p" 2>/dev/null || true
	done
	pg_stop
}

tmux_start() {
	_cols=$1
	_rows=$2
	shift 2
	command -v tmux >/dev/null || { echo "tmux.sh: tmux is not installed; run script/bootstrap" >&2; exit 99; }
	TMUX_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pgstep-tmux.XXXXXX")
	trap 'tmux_cleanup' EXIT
	trap 'tmux_cleanup; exit 130' INT
	trap 'tmux_cleanup; exit 143' TERM
	trap 'tmux_cleanup; exit 129' HUP
	# The command runs under sh so its exit status stays on screen: a clean
	# exit leaves a usable terminal that shows the line.
	printf '%s\n' "$@" >"$TMUX_DIR/argv"
	cat >"$TMUX_DIR/run.sh" <<'SH'
set --
while IFS= read -r a; do set -- "$@" "$a"; done <"$TMUX_DIR/argv"
"$@" 2>"$TMUX_DIR/stderr"
echo "[pgstep exited with status $?]"
exec sleep 3600
SH
	unset TMUX
	tmux_cmd new-session -d -s "$TMUX_SESSION" -x "$_cols" -y "$_rows" \
		"env TMUX_DIR='$TMUX_DIR' TERM=${TMUX_TERM:-screen} sh '$TMUX_DIR/run.sh'"
}

tmux_keys() {
	tmux_cmd send-keys -t "$TMUX_SESSION" "$@"
}

tmux_type() {
	tmux_cmd send-keys -t "$TMUX_SESSION" -l "$1"
}

tmux_screen() {
	tmux_cmd capture-pane -p -t "$TMUX_SESSION"
}

tmux_resize() {
	tmux_cmd resize-window -t "$TMUX_SESSION" -x "$1" -y "$2"
}

tmux_fail() {
	echo "FAIL: ${TEST_NAME:-console}: $*" >&2
	echo "---- screen ----" >&2
	tmux_screen >&2 || true
	echo "----------------" >&2
	if [ -s "$TMUX_DIR/stderr" ]; then
		echo "---- pgstep's stderr ----" >&2
		tail -n 40 "$TMUX_DIR/stderr" >&2
	fi
	exit 1
}

_tmux_has() { tmux_screen | grep -qF -- "$1"; }
_tmux_has_re() { tmux_screen | grep -qE -- "$1"; }
_tmux_lacks() { ! tmux_screen | grep -qF -- "$1"; }

tmux_wait_for() {
	wait_until "${2:-20}" _tmux_has "$1" || tmux_fail "the screen never showed \"$1\""
}

tmux_wait_re() {
	wait_until "${2:-20}" _tmux_has_re "$1" || tmux_fail "no screen line ever matched /$1/"
}

tmux_wait_gone() {
	wait_until "${2:-20}" _tmux_lacks "$1" || tmux_fail "the screen kept showing \"$1\""
}
