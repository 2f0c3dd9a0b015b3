/* Renaming a column without breaking the application that still uses the
 * old name: shared by rename_column and alter_column {name}. */
#ifndef PGSTEP_OPS_RENAME_H
#define PGSTEP_OPS_RENAME_H

#include "compile/compile.h"

/* Appends the steps that rename table.from to table.to: a new column of
 * the same type kept in sync both ways, filled, made NOT NULL if the old
 * one is, given the old one's default and comment (or `comment`, when not
 * NULL), and the old column dropped. */
void compile_rename_column(struct compile_ctx *cc, const char *table, const char *from, const char *to,
			   const char *comment);

#endif
