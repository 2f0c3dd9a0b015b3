#!/bin/sh
# The lifecycle of tests/lifecycle/set_replica_identity_full: see tests/lifecycle/run.sh.
exec bash "$top_srcdir/tests/lifecycle/run.sh" set_replica_identity_full
