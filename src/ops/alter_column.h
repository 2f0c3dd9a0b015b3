/* What alter_column's files share: the operation as the plan gives it,
 * and the pieces the type change (alter_column_type.c) takes from the
 * rest (alter_column.c). Private to the two. */
#ifndef PGSTEP_OPS_ALTER_COLUMN_H
#define PGSTEP_OPS_ALTER_COLUMN_H

#include <stdbool.h>

#include "compile/compile.h"
#include "column.h"

struct unique_spec {
	bool on;
	char *name;		/* constraint and index name; generated when absent */
};

struct alter_column {
	char *table;
	char *column;
	char *name;		/* the new name */
	char *type;		/* the new type */
	char *up;
	char *down;
	bool nullable;
	bool has_nullable;
	struct col_check *check;
	struct unique_spec unique;
	struct col_ref *references;
	char *default_;		/* NULL with has_default: DROP DEFAULT */
	bool has_default;
	char *comment;		/* NULL with has_comment: the comment removed */
	bool has_comment;
};

/* COMMENT ON COLUMN table.column IS comment (NULL: IS NULL). */
char *alter_column_comment_sql(const struct compile_ctx *cc, const char *table, const char *column,
			       const char *comment);
/* The key a column's state is saved under for the rollbacks, and the
 * expand step that saves it (its rollback forgets it). */
char *alter_column_stash_key(const struct compile_ctx *cc, const char *table, const char *column);
void alter_column_emit_stash(struct compile_ctx *cc, const char *table, const char *column, const char *key);
/* DROP NOT NULL in expand (summary: its step's), with the steps whose
 * rollbacks make the column NOT NULL again, without a scan under a lock
 * that blocks writes, if the saved state says it had it, after `down`
 * (may be NULL) for the rows written NULL; where rows stay NULL the
 * rollback stops with their count, then `hint` (what to do). */
void alter_column_emit_drop_not_null(struct compile_ctx *cc, const char *table, const char *column, const char *key,
				     const char *down, const char *hint, char *summary);

/* The plan's check moved onto the column `to` that replaces the column
 * (a type change's shadow); NULL when it cannot be (it names the column
 * qualified, or does not parse). */
char *alter_column_check_moved(const struct alter_column *a, const char *to);
/* The type change: a shadow column, a two-way trigger and a swap. */
void alter_column_compile_type(struct compile_ctx *cc, const struct alter_column *a);

#endif
