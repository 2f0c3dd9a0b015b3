/* The pieces of SQL a plan carries that are neither an expression nor a
 * statement: a type name, an operator class, its parameters, an option
 * list. Each is pasted into a statement pgstep writes, so each must be
 * exactly what it says, as PostgreSQL's own parser reads it, and nothing
 * that could end the statement or open another: checked at load, before
 * any SQL runs. */
#ifndef PGSTEP_SQLFRAG_H
#define PGSTEP_SQLFRAG_H

#include <stdbool.h>
#include <stddef.h>

enum sql_frag {
	FRAG_TYPE,		/* a type name: integer, varchar(20), public.mood[] */
	FRAG_OPCLASS,		/* an operator class name: gin_trgm_ops, x.my_ops */
	FRAG_OPCLASS_PARAMS,	/* an operator class's parameters: siglen = 32 */
	FRAG_OPTIONS,		/* a storage parameter list: fillfactor = 70, ... */
	FRAG_SEQ_OPTIONS,	/* sequence options: START 100 INCREMENT 10 */
};

/* What a fragment of `kind` is, for messages: "a type name". */
const char *sql_frag_what(enum sql_frag kind);

/* Whether `text` stays where pgstep writes it: no comment, no semicolon,
 * no parenthesis closed that it did not open. On false, as below. */
bool sql_frag_contained(const char *text, char *why, size_t whylen, long *offset);

/* Whether `text` is one fragment of `kind`. On false, `why` says what is
 * wrong and *offset is the character of `text` where (-1: the whole). */
bool sql_frag_check(enum sql_frag kind, const char *text, char *why, size_t whylen, long *offset);

#endif
