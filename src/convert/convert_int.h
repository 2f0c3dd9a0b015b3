/* What the files of convert share: the state of one conversion, the text
 * of a statement by its tokens, and what the file so far said about its
 * tables. */
#ifndef PGSTEP_CONVERT_INT_H
#define PGSTEP_CONVERT_INT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "plan/fields.h"
#include "pg/pgparse.h"
#include "convert/yamlout.h"

/* A table as the statements so far made it: the type of each column as
 * written, whether it is NOT NULL, its primary key. */
struct kcol {
	char *name;
	char *type;		/* NULL: not known */
	bool notnull;
};

struct ktable {
	char *name;
	struct kcol *cols;
	size_t ncols;
	struct strlist pk;
};

/* A constraint added NOT VALID: create_constraint validates it in switch,
 * which needs a warning unless the file validates it too. */
struct not_valid {
	char *table, *name;
	int line, col;
};

struct cv_warning {
	int line, col;
	char *msg;
	size_t seq;		/* the order it was made in, for a stable sort */
};

/* Where an operation of the plan came from, and whether it has steps
 * after expand. */
struct op_meta {
	int line, col;
	bool late;
	bool backfill;		/* it has a backfill step */
};

struct cv {
	const char *file;
	const char *sql;
	struct pg_tokens tok;
	struct yv *ops;		/* the plan's operations */
	struct op_meta *meta;	/* one for each of ops */
	struct cv_warning *warn;
	size_t nwarn, capwarn;
	struct ktable *tables;
	size_t ntables;
	struct not_valid *nv;
	size_t nnv;
	/* why the plan as a whole would be refused, at its statement (the
	 * first reason; NULL: none) */
	char *refused;
	int refused_line, refused_col;

	/* the statement being converted */
	size_t t0, t1;		/* its tokens, without comments at either end */
	int line, col;		/* of its first token */
	struct strlist notes;	/* warnings of the unit being converted, kept if it converts */
	char *why;		/* why the unit cannot be converted (cv_give_up) */
	bool skip;		/* the unit needs no operation */
	struct not_valid nv_new;	/* a NOT VALID constraint the unit adds (name NULL: none) */
};

/* ---- the statement's text, by its tokens ---- */

/* The first token of the statement at or after byte `at` (t1 when none). */
size_t tok_at(const struct cv *cv, int at);
/* Whether token i is the character c, or the token `id` (PgQuery__Token). */
bool tok_is(const struct cv *cv, size_t i, int id);
/* The first token in [a, b), outside parentheses and brackets, that is
 * `id`; b when there is none. */
size_t tok_find(const struct cv *cv, size_t a, size_t b, int id);
/* The ")" that closes the "(" at token i; b when it is not closed before b. */
size_t tok_close(const struct cv *cv, size_t i, size_t b);
/* The end of the list element that starts at token a: the first "," or
 * unopened ")" in [a, b), outside parentheses and brackets. */
size_t tok_element_end(const struct cv *cv, size_t a, size_t b);
/* Splits [a, b) at its commas outside parentheses and brackets into
 * starts[] and ends[] (the caller frees both); returns how many pieces. */
size_t tok_split(const struct cv *cv, size_t a, size_t b, size_t **starts, size_t **ends);
/* Tokens [a, b) as written, on one line: comments left out, and line
 * breaks between tokens made spaces. NULL when there are none. */
char *tok_text(const struct cv *cv, size_t a, size_t b);
/* Tokens [a, b) exactly as written, comments and line breaks included. */
char *tok_verbatim(const struct cv *cv, size_t a, size_t b);
/* The text inside the parentheses that open at token i; NULL if token i
 * is not "(". */
char *paren_text(const struct cv *cv, size_t i, size_t b);
/* The leading keywords of [a, b), upper case, at most three: "CREATE
 * FUNCTION", "UPDATE", "SET". */
char *leading_words(const struct cv *cv, size_t a, size_t b);

/* The first token after byte `loc` where the next clause of the column
 * definition cd starts (one of its constraints, its COLLATE), or b. */
size_t next_clause(const struct cv *cv, json_object *cd, int loc, size_t b);
/* A column definition's type, as written (ends at b at the latest). */
char *column_type(const struct cv *cv, json_object *cd, size_t b);
/* The expression of the column definition cd's DEFAULT constraint k. */
char *default_text(const struct cv *cv, json_object *cd, json_object *k, size_t b);

/* ---- pieces of the tree ---- */

/* A YAML list of the names. */
struct yv *name_list(const struct strlist *l);
/* A Constraint's contype, or "". */
const char *contype(json_object *k);

/* ---- outcome of a unit (a statement, or a subcommand) ---- */

/* A warning for the unit being converted, kept only if it converts. */
void cv_note(struct cv *cv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The unit cannot be converted: why (it becomes a sql operation). Returns
 * NULL, for `return cv_give_up(...)`. */
struct yv *cv_give_up(struct cv *cv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The same, returning false. */
bool cv_fail(struct cv *cv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* {kind: fields}: an operation. */
struct yv *op_new(const char *kind, struct yv *fields);

/* ---- names ---- */

/* A column as an expression: its name, in double quotes only if it needs them. */
char *ident_sql(const char *name);
/* The name PostgreSQL gives an index or constraint it names itself:
 * <table>_<names joined by _>_<label> within 63 bytes. */
char *pg_object_name(const char *table, const struct strlist *names, const char *label);
/* The raw names of a list of String nodes; the caller frees the list. */
void string_list(json_object *a, struct strlist *out);
/* The token after a RangeVar's name (its schema, name, a *). */
size_t after_relation(const struct cv *cv, json_object *rangevar);
/* The table a RangeVar names, or NULL (after cv_give_up) when its schema
 * is not public or it is not a plain name; notes a dropped public. */
const char *cv_relation(struct cv *cv, json_object *rangevar);

/* ---- what the file says about its tables ---- */

struct ktable *known_table(struct cv *cv, const char *name);
struct ktable *known_table_add(struct cv *cv, const char *name);
/* Takes t (its strings and lists) as what the file says of table t->name,
 * in place of what it said before. */
struct ktable *known_table_put(struct cv *cv, struct ktable *t);
void ktable_free(struct ktable *t);
void known_table_drop(struct cv *cv, const char *name);
struct kcol *known_col(struct ktable *t, const char *name);
struct kcol *known_col_add(struct ktable *t, const char *name, const char *type, bool notnull);
void known_col_drop(struct ktable *t, const char *name);
/* The primary key of a known table, or NULL. */
const struct strlist *known_pk(struct cv *cv, const char *table);

/* ---- the converters (convert_ops.c, convert_table.c) ---- */

/* Each returns an operation, or a list of them, or NULL: then either
 * cv->skip (no operation needed) or cv->why (becomes a sql operation). */
struct yv *convert_alter_cmd(struct cv *cv, const char *table, json_object *cmd, size_t a, size_t b);
struct yv *convert_create_index(struct cv *cv, json_object *b);
struct yv *convert_rename(struct cv *cv, json_object *b);
struct yv *convert_drop(struct cv *cv, json_object *b);
struct yv *convert_create_table(struct cv *cv, json_object *b);

/* Shared by ADD COLUMN and CREATE TABLE: a column's foreign key k as a
 * column definition's references {name, table, column, actions}, or NULL
 * (after cv_give_up). The name is the one given, else PostgreSQL's with
 * `named`, else none. self_pk: the primary key of the table being created,
 * for a reference to itself without columns. */
struct yv *column_references(struct cv *cv, const char *table, const char *column, json_object *k,
			     const struct strlist *self_pk, bool named);
/* A table constraint's foreign key k of ncols columns as its references
 * {table, columns, actions}, or NULL (after cv_give_up). */
struct yv *table_references(struct cv *cv, const char *table, json_object *k, size_t ncols,
			    const struct strlist *self_pk);
/* ON DELETE / ON UPDATE / MATCH of a foreign key into map m. */
void fk_actions(struct yv *m, json_object *k, bool with_set_columns);
/* The text of a CHECK's expression, inside the parentheses after CHECK,
 * for the Constraint k written within tokens [a, b). */
char *check_text(struct cv *cv, json_object *k, size_t a, size_t b);
/* The constraint name PostgreSQL gives a CHECK on `table`: with the one
 * column its expression names, or none. */
char *check_default_name(const char *table, json_object *expr);
/* WITH (...) storage parameters, INCLUDE columns and USING INDEX
 * TABLESPACE of a unique or primary key Constraint, as index_parameters,
 * or NULL when it has none. */
struct yv *index_parameters(struct cv *cv, json_object *k, size_t a, size_t b);

#endif
