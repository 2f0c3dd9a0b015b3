#!/bin/sh
# The safety module against a real PostgreSQL: its table of functions
# against the catalog, and the catalog's answers (tests/it_safety.c).
exec "$top_srcdir/tests/lib/with-pg" "$top_builddir/tests/it_safety"
