#!/bin/sh
# The man pages against the binary: both render without a troff warning;
# every command and option of `pgstep --help` is in pgstep(1), and so is
# every key and `:` command of the console's key table (--list-keys);
# every operation kind and every setting the plan reader knows is in
# pgstep-plan(5). The lists come from the binary, never from a copy here.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir/build/default}"
: "${PGSTEP:=$top_builddir/pgstep}"

PAGE1=$top_builddir/man/pgstep.1
PAGE5=$top_builddir/man/pgstep-plan.5

if ! command -v groff >/dev/null 2>&1; then
	echo "SKIP: man_check: groff is not installed"
	exit 77
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/pgstep-man_check.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM HUP
failures=0

fail() {
	echo "FAIL: man_check: $*" >&2
	failures=$((failures + 1))
}

# ok MESSAGE: said only when nothing failed since the last mark.
mark() {
	marked=$failures
}

ok() {
	[ "$failures" -ne "$marked" ] || echo "ok - $*"
}
marked=0

for page in "$PAGE1" "$PAGE5"; do
	[ -f "$page" ] || { echo "FAIL: man_check: $page was not built" >&2; exit 1; }
done

# ---- troff: no warning, classic source ----
for page in "$PAGE1" "$PAGE5"; do
	name=$(basename "$page")
	mark
	groff -man -Tutf8 -ww -z "$page" >"$TMP/warn" 2>&1 || fail "$name: groff failed"
	if [ -s "$TMP/warn" ]; then
		fail "$name: troff warnings:"
		sed 's/^/    /' "$TMP/warn" >&2
	else
		ok "$name renders without a warning"
	fi
	if grep -n '@[A-Z_]*@' "$page" >"$TMP/subst"; then
		fail "$name: left unsubstituted by configure: $(cat "$TMP/subst")"
	fi
	# No blank lines: .PP separates paragraphs.
	if grep -n '^$' "$page" >"$TMP/blank"; then
		fail "$name: blank source lines: $(cut -d: -f1 "$TMP/blank" | tr '\n' ' ')"
	fi
done

# Plain text, one paragraph a line and no hyphenation, for the checks below.
render() {
	groff -man -Tascii -rLL=1000n -rHY=0 -P-c -P-b -P-u "$1" 2>/dev/null
}
render "$PAGE1" >"$TMP/page1"
render "$PAGE5" >"$TMP/page5"

# section FILE HEADING: the lines of a top-level section.
section() {
	awk -v h="$2" '
		/^[^ ]/ { inside = ($0 == h); next }
		inside { print }
	' "$1"
}

# has_tag FILE INDENT TEXT: a line that starts with INDENT spaces and TEXT,
# followed by a space or the end of the line (a .TP tag or an .SS heading).
has_tag() {
	awk -v n="$2" -v t="$3" '
		BEGIN { pre = sprintf("%" n "s", "") t; found = 1 }
		index($0, pre) == 1 {
			rest = substr($0, length(pre) + 1)
			if (rest == "" || substr(rest, 1, 1) == " ") { found = 0; exit }
		}
		END { exit found }
	' "$1"
}

# ---- pgstep(1): commands and options of --help ----
"$PGSTEP" --help >"$TMP/help"
awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }' "$TMP/help" >"$TMP/commands"
mark
[ -s "$TMP/commands" ] || fail "no command found in pgstep --help"
section "$TMP/page1" COMMANDS >"$TMP/page1.commands"
n=0
while read -r cmd; do
	n=$((n + 1))
	has_tag "$TMP/page1.commands" 7 "$cmd" || fail "pgstep.1: command \"$cmd\" is not in COMMANDS"
done <"$TMP/commands"
ok "pgstep.1 COMMANDS has the $n commands of --help"

awk '/^Options:/ { on = 1; next } on && /^$/ { exit } on' "$TMP/help" |
	grep -o -e '--[a-z][a-z-]*' -e '^ *-[A-Za-z]' | sed 's/^ *//' | sort -u >"$TMP/options"
mark
[ -s "$TMP/options" ] || fail "no option found in pgstep --help"
section "$TMP/page1" OPTIONS >"$TMP/page1.options"
n=0
while read -r opt; do
	n=$((n + 1))
	grep -q -F -e "$opt" "$TMP/page1.options" || fail "pgstep.1: option \"$opt\" is not in OPTIONS"
done <"$TMP/options"
ok "pgstep.1 OPTIONS has the $n options of --help"

# ---- pgstep(1): the console's keys and : commands ----
# The key table is the console's one source: --list-keys must work, and the
# page must list exactly its keys and commands, both ways.
"$PGSTEP" --list-keys >"$TMP/keys" 2>"$TMP/keys.err" ||
	{ cat "$TMP/keys.err" >&2; fail "pgstep --list-keys failed"; }
[ -s "$TMP/keys" ] || fail "pgstep --list-keys printed nothing"
{
	mark
	section "$TMP/page1" "THE CONSOLE" >"$TMP/page1.console"
	nk=0
	nc=0
	tab=$(printf '\t')
	while IFS="$tab" read -r keys name _help; do
		case $keys in
		:[a-z]*)
			nc=$((nc + 1))
			has_tag "$TMP/page1.console" 7 ":$name" ||
				fail "pgstep.1: console command \":$name\" is not in THE CONSOLE"
			;;
		*)
			nk=$((nk + 1))
			has_tag "$TMP/page1.console" 7 "$keys" ||
				fail "pgstep.1: console key \"$keys\" ($name) is not in THE CONSOLE"
			;;
		esac
	done <"$TMP/keys"
	[ "$nk" -gt 0 ] || fail "pgstep --list-keys listed no key"
	ok "pgstep.1 THE CONSOLE has the $nk keys and $nc commands of --list-keys"
}

# The other way: every tag of the page's Keys and Commands subsections is a
# key or a command of --list-keys (a key dropped from the table, or one the
# page invents, fails).
mark
cut -f1 "$TMP/keys" | grep -v '^:[a-z]' >"$TMP/keys.table"
cut -f1 "$TMP/keys" | grep '^:[a-z]' | sed 's/ .*//' >"$TMP/commands.table"
[ -s "$TMP/keys.table" ] && [ -s "$TMP/commands.table" ] ||
	fail "pgstep --list-keys lists no key or no command"
# tags SUBSECTION: the first line after each .TP of that .SS, its macro gone.
tags() {
	awk -v ss=".SS $1" '
		$0 == ss { on = 1; next }
		on && /^\.SS/ { exit }
		on && prev == ".TP" { print }
		{ prev = $0 }
	' "$PAGE1" | sed -e 's/^\.B[RI]* //' -e 's/^"//' -e 's/"$//' \
		-e 's/\\-/-/g' -e 's/\\(ha/^/g' -e 's/\\e/\\/g' -e 's/\\&//g'
}
tags Keys >"$TMP/page1.keys"
tags Commands | sed 's/ .*//' >"$TMP/page1.commands.tags"
[ -s "$TMP/page1.keys" ] || fail "pgstep.1: no tag found under .SS Keys"
[ -s "$TMP/page1.commands.tags" ] || fail "pgstep.1: no tag found under .SS Commands"
while read -r tag; do
	grep -qxF -e "$tag" "$TMP/keys.table" || fail "pgstep.1: Keys lists \"$tag\", which is not a key of --list-keys"
done <"$TMP/page1.keys"
while read -r tag; do
	grep -qxF -e "$tag" "$TMP/commands.table" || fail "pgstep.1: Commands lists \"$tag\", which is not a command of --list-keys"
done <"$TMP/page1.commands.tags"
ok "pgstep.1 lists no key or command that --list-keys does not"

# ---- pgstep-plan(5): operations and settings the plan reader knows ----
cat >"$TMP/bogus.yaml" <<'YAML'
settings:
  no_such_setting: 1
operations:
  - no_such_operation: {}
YAML
"$PGSTEP" show "$TMP/bogus.yaml" >/dev/null 2>"$TMP/bogus.err" && fail "a bogus plan was accepted"
sed -n 's/.*unknown operation "no_such_operation" (known: \(.*\))$/\1/p' "$TMP/bogus.err" |
	tr ',' '\n' | sed 's/^ *//; s/ *$//' | sed '/^$/d' >"$TMP/kinds"
sed -n 's/.*unknown key "no_such_setting" in settings (expected one of: \(.*\))$/\1/p' "$TMP/bogus.err" |
	tr ',' '\n' | sed 's/^ *//; s/ *$//' | sed '/^$/d' >"$TMP/settings"
[ -s "$TMP/kinds" ] || fail "no operation kinds in: $(cat "$TMP/bogus.err")"
[ -s "$TMP/settings" ] || fail "no settings in: $(cat "$TMP/bogus.err")"

mark
section "$TMP/page5" OPERATIONS >"$TMP/page5.ops"
n=0
while read -r kind; do
	n=$((n + 1))
	has_tag "$TMP/page5.ops" 3 "$kind" || fail "pgstep-plan.5: operation \"$kind\" has no subsection in OPERATIONS"
done <"$TMP/kinds"
ok "pgstep-plan.5 OPERATIONS has the $n operation kinds"

mark
section "$TMP/page5" SETTINGS >"$TMP/page5.settings"
n=0
while read -r key; do
	n=$((n + 1))
	has_tag "$TMP/page5.settings" 7 "$key" || fail "pgstep-plan.5: setting \"$key\" is not in SETTINGS"
done <"$TMP/settings"
ok "pgstep-plan.5 SETTINGS has the $n settings"

[ "$failures" -eq 0 ] || exit 1
