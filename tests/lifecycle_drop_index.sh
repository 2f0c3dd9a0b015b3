#!/bin/sh
# The lifecycle of tests/lifecycle/drop_index: see tests/lifecycle/run.sh.
exec bash "$top_srcdir/tests/lifecycle/run.sh" drop_index
