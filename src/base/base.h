/*
 * The base layer: C utilities with no knowledge of PostgreSQL or of plans:
 * allocation (xalloc.h), strings (strbuf.h, strlist.h), diagnostics with
 * file:line:col (diag.h), durations (duration.h), the monotonic clock
 * (clock.h), the reconnect backoff (backoff.h), exit codes (exit_codes.h),
 * the terminal sanitizer (sanitize.h). This header only documents the
 * layer; include the one you need.
 *
 * Layer rule (script/check-layers, run first by script/test): base is the
 * lowest layer and includes no other; nothing of pg, plan, store, compile,
 * ops, lint, convert, engine, threads, ui, cli.
 */
#ifndef PGSTEP_BASE_H
#define PGSTEP_BASE_H
#endif
