#!/bin/sh
# The lifecycle of tests/lifecycle/sql_on_complete: see tests/lifecycle/run.sh.
exec bash "$top_srcdir/tests/lifecycle/run.sh" sql_on_complete
