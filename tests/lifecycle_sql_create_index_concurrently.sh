#!/bin/sh
# The lifecycle of tests/lifecycle/sql_create_index_concurrently: see tests/lifecycle/run.sh.
exec bash "$top_srcdir/tests/lifecycle/run.sh" sql_create_index_concurrently
