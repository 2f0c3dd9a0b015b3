/*
 * The store layer: connections (conn.h: opening, application_name, errors
 * without the password) and schema pgstep, pgstep's own state: migrations
 * and their steps, advisory locks (state.h), backfill checkpoints
 * (backfill_state.h) and the saved values a rollback puts back (saved.h).
 * SQL against schema pgstep belongs here. This header only documents the
 * layer.
 *
 * Layer rule (script/check-layers, run first by script/test): store may
 * include base, pg, plan; nothing of compile, ops, lint, convert, engine,
 * threads, ui, cli.
 */
#ifndef PGSTEP_STORE_H
#define PGSTEP_STORE_H
#endif
