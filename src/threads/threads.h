/*
 * The threads layer: the only code that creates threads. The worker
 * (worker.h, whose DESIGN comment says what each thread owns and may
 * touch) drives migrations on its own connection; the monitor (monitor.h)
 * watches locks and progress on another. The console talks to both through
 * commands and snapshots (status.h) and never waits on the database. This
 * header only documents the layer.
 *
 * Layer rule (script/check-layers, run first by script/test): threads may
 * include base, pg, plan, store, compile, ops, lint, convert, engine;
 * nothing of ui, cli.
 */
#ifndef PGSTEP_THREADS_H
#define PGSTEP_THREADS_H
#endif
