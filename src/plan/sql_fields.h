/* Checking the SQL an operation's fields hold as it is read: each scalar
 * whose field says it holds SQL (plan/fields.h, enum field_sql) must
 * parse as that. */
#ifndef PGSTEP_SQL_FIELDS_H
#define PGSTEP_SQL_FIELDS_H

#include <stdbool.h>

#include "base/diag.h"
#include "plan/fields.h"
#include "plan/plan.h"

/* Whether the site's text is SQL of `kind`; reports at its exact position
 * in `file` when it is not. */
bool sql_fields_check(const char *file, const struct op *op, const struct field_site *s, enum field_sql kind,
		      struct diag *d);
/* Every SQL text the operation carries parses as its field says
 * (expressions such as up, down, default, check and predicate as SELECT
 * <expr>; raw_sql and sql statements as written). Reports each problem at
 * its line and column in `file` and returns false. */
bool sql_fields_check_op(const char *file, const struct op *op, struct diag *d);
/* Reports at the character `offset` of the site's text, or at the node
 * when offset is negative. */
void sql_fields_error(struct diag *d, const char *file, const struct field_site *s, long offset, const char *fmt,
		      ...) __attribute__((format(printf, 5, 6)));

#endif
