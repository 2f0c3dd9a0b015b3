#!/bin/sh
# The lifecycle of tests/lifecycle/add_column_volatile_function: see tests/lifecycle/run.sh.
exec bash "$top_srcdir/tests/lifecycle/run.sh" add_column_volatile_function
