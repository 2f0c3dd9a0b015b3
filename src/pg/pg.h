/*
 * The pg layer: PostgreSQL's language without a session: quoting and names
 * (sql.h), the parser glue over libpg_query (pgparse.h), SQL fragments a
 * plan may hold (sqlfrag.h), column references (colrefs.h), dollar quoting
 * and DO blocks (dollar.h), the carry's definition rewriting
 * (carry_sql.h), and the safety decisions made from the catalog's answers
 * (safety.h). Nothing here connects. This header only documents the layer.
 *
 * Layer rule (script/check-layers, run first by script/test): pg may
 * include base; nothing of plan, store, compile, ops, lint, convert,
 * engine, threads, ui, cli.
 */
#ifndef PGSTEP_PG_H
#define PGSTEP_PG_H
#endif
