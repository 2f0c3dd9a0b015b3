#!/bin/sh
# The lifecycle of tests/lifecycle/sql: see tests/lifecycle/run.sh.
exec sh "$top_srcdir/tests/lifecycle/run.sh" sql
