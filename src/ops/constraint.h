/* Table constraints as pgroll writes them, shared by create_table and
 * create_constraint: a foreign key's table-level references, a unique,
 * primary key or exclusion constraint's index_parameters, and the
 * per-column up/down maps of the constraint operations. */
#ifndef PGSTEP_OPS_CONSTRAINT_H
#define PGSTEP_OPS_CONSTRAINT_H

#include <stdbool.h>

#include "plan/fields.h"
#include "base/strbuf.h"

/* references: {table, columns, on_delete, on_update, match_type,
 * on_delete_set_columns} */
struct tbl_ref {
	char *table;
	struct strlist columns;
	char *on_delete;	/* NO ACTION, RESTRICT, CASCADE, SET NULL, SET DEFAULT */
	char *on_update;
	char *match_type;	/* SIMPLE or FULL */
	struct strlist on_delete_set_columns;	/* SET NULL (a, b): PostgreSQL 15 */
};

/* index_parameters: {include_columns, storage_parameters, tablespace} */
struct index_params {
	struct strlist include_columns;
	char *storage_parameters;	/* "fillfactor = 70" */
	char *tablespace;
};

/* up: {column: expression} (pgroll's MultiColumnUpSQL), in file order. */
struct col_exprs {
	char **col;
	char **expr;
	size_t n;
};

/* F_CUSTOM readers: into a struct tbl_ref *, a struct index_params *, a
 * struct col_exprs, and a char * of storage parameters (a string, or a
 * mapping {fillfactor: 70}). */
bool tbl_ref_parse(struct ydoc *y, yaml_node_t *n, void *dst);
void tbl_ref_free(void *dst);
bool index_params_parse(struct ydoc *y, yaml_node_t *n, void *dst);
void index_params_free(void *dst);
bool col_exprs_parse(struct ydoc *y, yaml_node_t *n, void *dst);
void col_exprs_free(void *dst);
bool storage_params_parse(struct ydoc *y, yaml_node_t *n, void *dst);
void str_field_free(void *dst);

/* Checks a reference against the constraint's own columns: as many
 * referenced columns, and SET NULL/SET DEFAULT columns among them;
 * reports at `n` (the references mapping). */
bool tbl_ref_check(struct ydoc *y, yaml_node_t *n, const struct tbl_ref *r, const struct strlist *columns);

/* " REFERENCES schema.t (a, b) MATCH FULL ON DELETE SET NULL (a) ON UPDATE
 * CASCADE"; the referenced table is in `schema`. */
void tbl_ref_sql(struct strbuf *sb, const char *schema, const struct tbl_ref *r);
/* " INCLUDE (c) WITH (fillfactor = 70) USING INDEX TABLESPACE ts" after a
 * UNIQUE, PRIMARY KEY or EXCLUDE constraint; with `for_index`, the form
 * CREATE INDEX takes (" ... TABLESPACE ts"). */
void index_params_sql(struct strbuf *sb, const struct index_params *ip, bool for_index);

/* Whether `expr` only names `column` (pgroll writes up: {col: col} for the
 * columns a constraint leaves as they are). */
bool expr_is_column(const char *expr, const char *column);

#endif
