#!/bin/sh
# The worker's thread boundaries against a real PostgreSQL: :abort never
# waits in the caller, the cancel lock outlives reconnects, worker_stop
# joins the threads that cancel or terminate a blocker.
exec "$top_srcdir/tests/lib/with-pg" "$top_builddir/tests/it_worker"
