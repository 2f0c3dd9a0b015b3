#!/bin/sh
# The lifecycle of tests/lifecycle/default_names: see tests/lifecycle/run.sh.
exec bash "$top_srcdir/tests/lifecycle/run.sh" default_names
