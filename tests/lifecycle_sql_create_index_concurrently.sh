#!/bin/sh
# The lifecycle of tests/lifecycle/sql_create_index_concurrently: see tests/lifecycle/run.sh.
exec sh "$top_srcdir/tests/lifecycle/run.sh" sql_create_index_concurrently
