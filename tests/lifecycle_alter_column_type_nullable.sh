#!/bin/sh
# The lifecycle of tests/lifecycle/alter_column_type_nullable: see tests/lifecycle/run.sh.
exec bash "$top_srcdir/tests/lifecycle/run.sh" alter_column_type_nullable
