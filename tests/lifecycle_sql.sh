#!/bin/sh
# The lifecycle of tests/lifecycle/sql: see tests/lifecycle/run.sh.
exec bash "$top_srcdir/tests/lifecycle/run.sh" sql
