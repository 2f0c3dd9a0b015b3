#!/bin/sh
# The lifecycle of tests/lifecycle/raw_sql: see tests/lifecycle/run.sh.
exec bash "$top_srcdir/tests/lifecycle/run.sh" raw_sql
