/*
 * Safety decisions, in one place (DESIGN.md section 9): whether an
 * expression is volatile, whether a statement may run inside a
 * transaction block, whether a column type change is binary-coercible.
 * The compiler, lint and convert all ask here, so that two parts of
 * pgstep never give two answers to one question.
 *
 * Offline the answers come from PostgreSQL's parse tree (pgparse.h); at
 * run time the live catalog confirms them and wins (safety_catalog.c).
 */
#ifndef PGSTEP_SAFETY_H
#define PGSTEP_SAFETY_H

#include <json-c/json.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

struct plan;
struct strlist;

/* ---- volatility ---- */

/* In increasing order of danger: an expression's volatility is that of
 * its most dangerous part. A function pgstep does not know is UNKNOWN,
 * which every decision treats as volatile. */
enum volatility {
	VOL_IMMUTABLE,
	VOL_STABLE,
	VOL_UNKNOWN,
	VOL_VOLATILE,
};

/* What decided an answer: the call (or SQL value function, or type) that
 * makes the expression as volatile as it is. */
struct vol_answer {
	enum volatility v;
	char what[160];		/* "gen_token()", "CURRENT_TIMESTAMP"; "" when nothing in it is a call */
	int loc;		/* its byte offset in the text parsed, -1 when none */
};

/* Whether a decision must take an answer as volatile (VOL_VOLATILE or
 * VOL_UNKNOWN). */
bool safety_is_volatile(enum volatility v);
/* "immutable", "stable", "volatile", "of unknown volatility". */
const char *safety_volatility_name(enum volatility v);
/* From a pg_proc.provolatile letter ('i', 's', 'v'); anything else is
 * VOL_VOLATILE. And back ('i', 's', 'v', '?'). */
enum volatility safety_volatility_from_char(char c);
char safety_volatility_char(enum volatility v);

/* A function as written (schema may be NULL), by the module's table of
 * functions pgstep knows: VOL_UNKNOWN when it is not there. A schema
 * other than pg_catalog makes a built-in's name unknown; an extension's
 * volatile function (pgcrypto's gen_random_bytes) is known in any. */
enum volatility safety_function_volatility(const char *schema, const char *name);
/* Row i of that table (false past its end), for the test that holds it
 * against a live catalog. */
bool safety_known_function(size_t i, const char **name, enum volatility *v, bool *any_schema);
/* The volatility of an expression's parse tree (any node of it): every
 * function call, SQL value function (CURRENT_TIMESTAMP: stable) and
 * operator named with a schema, recursively. */
void safety_tree_volatility(json_object *expr, struct vol_answer *out);
/* The same for an expression's text, parsed as SELECT (<expr>); false,
 * and VOL_UNKNOWN, when it does not parse as one expression. */
bool safety_expr_volatility(const char *expr, struct vol_answer *out);
/* The same, counting only what is no function call or operator (SQL
 * value functions such as CURRENT_TIMESTAMP): the part of the answer the
 * catalog's dependencies do not hold (safety_catalog.c). */
bool safety_expr_value_functions(const char *expr, struct vol_answer *out);
/* The names of the functions an expression calls that PostgreSQL may
 * find in pg_catalog (written with no schema, or with pg_catalog), each
 * once, into `names`; false when it does not parse. */
bool safety_expr_catalog_calls(const char *expr, struct strlist *names);
/* A column type's implied default: a serial type's nextval() is volatile,
 * any other type has none (VOL_IMMUTABLE). `type` is its last name. */
enum volatility safety_type_volatility(const char *type);

/* ---- the live catalog's answers (safety_catalog.c) ---- */

/* An answer the catalog gave about an expression. */
struct safety_fact {
	char *expr;		/* as the plan wrote it */
	char *type;		/* the type it was asked as a value of, or NULL */
	enum volatility v;	/* never VOL_UNKNOWN: what cannot be resolved is volatile */
	char *why;		/* "gen_token() is volatile in the catalog", for the log */
};

/* The answers a migration was compiled with (saved in pgstep.saved, so
 * that a resume, a rollback and a second pgstep compile the same steps). */
struct safety_facts {
	struct safety_fact *v;
	size_t n;
};

/* Asks the catalog about `expr` as a value of `type` (NULL: no cast), on
 * the plan's search_path, the way PostgreSQL resolves it: the volatility
 * of every function and operator it calls (pg_proc.provolatile). A name
 * the server cannot resolve counts as volatile. Must run inside a
 * transaction block, which it leaves as it found it (a savepoint). False
 * with err set when it cannot ask (the connection failed, no transaction
 * block); `out` then holds a volatile answer all the same. */
bool safety_catalog_volatility(PGconn *c, const struct plan *p, const char *expr, const char *type,
			       struct safety_fact *out, char *err, size_t errlen);

/* The fact about `expr` as a value of `type` (may be NULL), or NULL. */
const struct safety_fact *safety_facts_find(const struct safety_facts *f, const char *expr, const char *type);
/* Appends a copy of fact (replacing one about the same expression and type). */
void safety_facts_add(struct safety_facts *f, const struct safety_fact *fact);
void safety_fact_clear(struct safety_fact *fact);
void safety_facts_free(struct safety_facts *f);
/* As JSON text, and back (false when the text is not such JSON). */
char *safety_facts_to_json(const struct safety_facts *f);
bool safety_facts_from_json(const char *text, struct safety_facts *out);

/* ---- transaction blocks ---- */

/* What a statement is when PostgreSQL refuses to run it inside a
 * transaction block ("CREATE INDEX CONCURRENTLY", "VACUUM", ...); NULL
 * when it may run in one. */
const char *safety_no_txn_statement(json_object *stmt);

enum txn_need {
	TXN_ANY,		/* every statement may run inside a transaction block */
	TXN_NONE,		/* exactly one statement, which may not: it runs alone outside one */
	TXN_MIXED,		/* several statements, one of which may not: they fail together */
	TXN_UNPARSED,		/* the text does not parse */
};

struct txn_answer {
	enum txn_need need;
	const char *what;	/* the statement that may not (TXN_NONE, TXN_MIXED) */
	int loc;		/* its byte offset in the text */
	size_t nstmts;
};

/* Reads SQL text (any number of statements). */
enum txn_need safety_sql_txn(const char *sql, struct txn_answer *out);

/* The index a text of exactly one CREATE INDEX CONCURRENTLY builds: its
 * table (and the schema written, or NULL) and its name, the one written
 * or the one PostgreSQL chooses for it (ChooseIndexName). False for any
 * other text. The caller frees the strings. */
struct built_index {
	char *schema;
	char *table;
	char *index;
};
bool safety_concurrent_index(const char *sql, struct built_index *out);
void built_index_free(struct built_index *b);

/* ---- column types ---- */

/* A column type as the parse tree gives it. */
struct col_type {
	char name[64];		/* varchar, numeric, int4, text... */
	int mods[2];
	int nmods;		/* -1: not constants */
	bool array;
};

/* Reads a TypeName node. */
void safety_type_read(json_object *type_name, struct col_type *t);
/* As SQL spells it: "varchar(20)", "integer", "numeric(10,2)[]". */
void safety_type_text(const struct col_type *t, char *out, size_t size);
/* Whether ALTER COLUMN TYPE from `from` to `to` leaves every row as it is
 * (binary-coercible: the same type, varchar growing or to text, text to
 * unbounded varchar, numeric's precision growing at the same scale), so
 * that PostgreSQL neither rewrites the table nor rebuilds its indexes. */
bool safety_type_change_is_free(const struct col_type *from, const struct col_type *to);

#endif
