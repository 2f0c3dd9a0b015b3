#!/bin/sh
# The lifecycle of tests/lifecycle/rename_column_constrained: see tests/lifecycle/run.sh.
exec bash "$top_srcdir/tests/lifecycle/run.sh" rename_column_constrained
