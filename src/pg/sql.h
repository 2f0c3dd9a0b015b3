/* SQL text generation: quoting through libpq and names for the helper
 * objects (triggers, functions, shadow columns) pgstep creates. */
#ifndef PGSTEP_SQL_H
#define PGSTEP_SQL_H

#include <stdbool.h>

/* "name", quoted by PQescapeIdentifier; the caller frees. */
char *sql_ident(const char *name);
/* The search_path of everything pgstep writes itself: nothing but the
 * catalog, and temporary relations last (never first, where PostgreSQL
 * puts them when the path does not name them). */
#define SQL_INTERNAL_PATH "pg_catalog, pg_temp"

/* "schema"."name", each part quoted by PQescapeIdentifier: how pgstep
 * names every relation and function it did not create in pg_catalog, so
 * that no search_path decides what a name means. The caller frees. */
char *sql_qualified(const char *schema, const char *name);
/* 'text', quoted by PQescapeLiteral; the caller frees. */
char *sql_literal(const char *s);
/* A helper object's name: _pgstep_<a>_<b>_<what>, kept within PostgreSQL's
 * 63-byte limit by shortening and a hash suffix, so it never gets silently
 * truncated into a clash. Unquoted; the caller frees. */
char *sql_helper_name(const char *a, const char *b, const char *what);
/* The name PostgreSQL itself gives a constraint or index it names
 * (makeObjectName): <name1>_<name2>_<label>, the longer of the two names
 * shortened until it fits in 63 bytes. name2 may be NULL ("users_pkey").
 * Unquoted; the caller frees. */
char *sql_pg_name(const char *name1, const char *name2, const char *label);
/* Frees the offline connection used for quoting. */
void sql_cleanup(void);

#endif
