/* A column definition as add_column and create_table read it (pgroll's
 * field names): name, type, default, nullable, unique, pk, check,
 * references, generated, comment. */
#ifndef PGSTEP_OPS_COLUMN_H
#define PGSTEP_OPS_COLUMN_H

#include <stdbool.h>

#include "plan/fields.h"
#include "base/strbuf.h"

struct col_check {
	char *name;		/* constraint name; PostgreSQL's <table>_<column>_check when absent */
	char *constraint;	/* the boolean expression */
	bool no_inherit;	/* NO INHERIT: not propagated to child tables */
};

struct col_ref {
	char *name;		/* constraint name; PostgreSQL's <table>_<column>_fkey when absent */
	char *table;
	char *column;
	char *on_delete;	/* NO ACTION, RESTRICT, CASCADE, SET NULL, SET DEFAULT */
	char *on_update;
	char *match_type;	/* SIMPLE or FULL */
	bool deferrable;
	bool initially_deferred;
};

struct col_generated {
	char *expression;	/* GENERATED ALWAYS AS (expression) STORED */
	char *identity;		/* ALWAYS or BY DEFAULT */
	char *sequence_options;	/* identity.sequence_options: "START 100 INCREMENT 10" */
};

struct column_def {
	char *name;
	char *type;
	char *default_;
	bool has_default;
	bool nullable;
	bool has_nullable;
	bool unique;
	bool pk;
	struct col_check *check;
	struct col_ref *references;
	struct col_generated *generated;
	char *comment;
};

extern const struct field column_fields[];

/* F_CUSTOM readers for a single column and for a list of columns. */
bool column_parse(struct ydoc *y, yaml_node_t *n, void *dst);	/* struct column_def * */
void column_free(void *dst);

struct column_list {
	struct column_def *v;
	size_t n;
};
bool column_list_parse(struct ydoc *y, yaml_node_t *n, void *dst);
void column_list_free(void *dst);

/* As in pgroll, a column is NOT NULL unless the plan says nullable: true. */
bool column_nullable(const struct column_def *c);
/* "FOREIGN KEY (col) REFERENCES schema.t (c) ON DELETE ... DEFERRABLE"
 * for a column; the referenced table is in `schema`. */
char *column_fk_sql(const char *schema, const char *column, const struct col_ref *r);
/* "a", "b" quoted, comma separated. */
void ident_list_sql(struct strbuf *sb, const struct strlist *l);
/* A foreign key's " MATCH ... ON DELETE ... [(columns)] ON UPDATE ...",
 * each part only when given; set_columns may be NULL. */
void ref_actions_sql(struct strbuf *sb, const char *match_type, const char *on_delete,
		     const struct strlist *set_columns, const char *on_update);
/* "CHECK (expr)" or "CHECK (expr) NO INHERIT"; the caller frees. */
char *column_check_sql(const struct col_check *c);
/* " DEFERRABLE INITIALLY DEFERRED" or "" (INITIALLY DEFERRED implies
 * DEFERRABLE). */
const char *deferrable_sql(bool deferrable, bool initially_deferred);
/* Validates enum-like values of references; reports at n. */
bool col_ref_validate(struct ydoc *y, yaml_node_t *n, const struct col_ref *r);

/* F_CUSTOM readers of check ("expr" or {name, constraint}, into a struct
 * col_check *) and references (into a struct col_ref *), for alter_column. */
bool col_check_parse(struct ydoc *y, yaml_node_t *n, void *dst);
/* The keys of check's mapping form ({name, constraint}). */
extern const struct field col_check_fields[];
void col_check_free(void *dst);
bool col_ref_parse(struct ydoc *y, yaml_node_t *n, void *dst);
void col_ref_free(void *dst);

#endif
