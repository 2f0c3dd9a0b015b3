#!/bin/sh
# The monitor against a real PostgreSQL: lock waits and the lock queue,
# long transactions, CREATE INDEX CONCURRENTLY progress, the thread.
exec "$top_srcdir/tests/lib/with-pg" "$top_builddir/tests/it_monitor"
