#!/bin/sh
# The layers (script/check-layers): no file of src/, ui/ or cli/ includes
# a header of a layer above its own. First the check itself must catch
# one: a copy of the tree with a base file including the engine's header
# and a file outside every layer's folder must fail, naming both.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
CHECK=$top_srcdir/script/check-layers

TMP=$(mktemp -d "${TMPDIR:-/tmp}/pgstep-layers.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM HUP

# The check catches an include going up, and a file in no layer.
cp -R "$top_srcdir/src" "$top_srcdir/ui" "$top_srcdir/cli" "$TMP/"
chmod -R u+w "$TMP"
printf '#include "engine/engine.h"\n' >>"$TMP/src/base/xalloc.c"
printf '/* nowhere */\n' >"$TMP/src/stray.c"
if "$CHECK" "$TMP" >"$TMP/out" 2>&1; then
	echo "FAIL: layers: check-layers passed a tree where src/base/xalloc.c includes engine/engine.h" >&2
	exit 1
fi
line=$(wc -l <"$top_srcdir/src/base/xalloc.c")
grep -q "^src/base/xalloc.c:$((line + 1)): #include \"engine/engine.h\": src/engine/engine.h is in layer engine, above src/base/xalloc.c (layer base)\$" "$TMP/out" || {
	cat "$TMP/out" >&2
	echo "FAIL: layers: check-layers did not name src/base/xalloc.c and its include" >&2
	exit 1
}
grep -q '^src/stray.c: in no layer' "$TMP/out" || {
	cat "$TMP/out" >&2
	echo "FAIL: layers: check-layers did not name src/stray.c, in no layer's folder" >&2
	exit 1
}
echo "ok - check-layers refuses an include going up, and a file outside the layers"

# The tree itself.
if ! "$CHECK" "$top_srcdir" >"$TMP/out" 2>&1; then
	cat "$TMP/out" >&2
	echo "FAIL: layers: a lower layer includes a higher one (above)" >&2
	exit 1
fi
echo "ok - no file includes a header of a layer above its own"
