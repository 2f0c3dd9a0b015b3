/* drop_constraint and drop_multicolumn_constraint (pgroll's two spellings
 * of one operation): the constraint holds until contract, which drops it.
 * Until then both applications write rows it accepts, so nothing written
 * while the migration is open can be refused by a rollback. Expand only
 * checks that the constraint is there, so a wrong name fails at once and
 * not at contract.
 *
 * pgroll copies the constrained columns, writes them through up (from
 * the old copy) and down (back into it) and drops the constraint on the
 * copy at once; here the columns stay as they are, so up and down are
 * read and checked and need nothing. */
#include "config.h"

#include <stdlib.h>

#include "ops/ops.h"
#include "pg/sql.h"
#include "base/xalloc.h"
#include "constraint.h"
#include "helpers.h"

struct drop_constraint {
	char *table;
	char *name;
	char *up;		/* drop_constraint */
	char *down;
	struct col_exprs up_cols;	/* drop_multicolumn_constraint */
	struct col_exprs down_cols;
};

#define DC(m) offsetof(struct drop_constraint, m)
static const struct field single_fields[] = {
	{.key = "table", .type = F_IDENT, .offset = DC(table), .required = true},
	{.key = "name", .type = F_IDENT, .offset = DC(name), .required = true},
	{.key = "up", .type = F_STR, .offset = DC(up), .sql = FSQL_UPDOWN},
	{.key = "down", .type = F_STR, .offset = DC(down), .sql = FSQL_UPDOWN},
	FIELD_END
};

static const struct field multi_fields[] = {
	{.key = "table", .type = F_IDENT, .offset = DC(table), .required = true},
	{.key = "name", .type = F_IDENT, .offset = DC(name), .required = true},
	{.key = "up", .type = F_CUSTOM, .offset = DC(up_cols), .parse = col_exprs_parse, .free = col_exprs_free,
	 .sql_values = FSQL_UPDOWN},
	{.key = "down", .type = F_CUSTOM, .offset = DC(down_cols), .parse = col_exprs_parse, .free = col_exprs_free,
	 .sql_values = FSQL_UPDOWN},
	FIELD_END
};
#undef DC

static char *
exists_sql(const struct compile_ctx *cc, const struct drop_constraint *d)
{
	char *t = plan_qualified(cc->plan, d->table), *rel = sql_literal(t), *lname = sql_literal(d->name);
	char *body = xasprintf("\nBEGIN\n"
			       "  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = %s::regclass AND conname = %s) THEN\n"
			       "    RAISE EXCEPTION 'table %% has no constraint named %%', %s::regclass, %s;\n"
			       "  END IF;\n"
			       "END\n",
			       rel, lname, rel, lname);
	char *sql = do_block(body);

	free(body);
	free(t);
	free(rel);
	free(lname);
	return sql;
}

static void
compile(struct compile_ctx *cc, const void *data)
{
	const struct drop_constraint *d = data;
	char *qn = sql_ident(d->name);
	struct step *s;

	compile_emit(cc, PHASE_EXPAND, d->table, xasprintf("check that %s has constraint %s", d->table, d->name),
	     exists_sql(cc, d), NULL);
	/* The plan does not carry the constraint's definition, so nothing can
	 * add it back. */
	s = compile_emit(cc, PHASE_CONTRACT, d->table, xasprintf("drop constraint %s on %s", d->name, d->table),
		 alter_table(cc, d->table, "DROP CONSTRAINT %s", qn), NULL);
	s->irreversible = true;
	free(qn);
}

const struct op_kind op_drop_constraint = {
	.name = "drop_constraint",
	.size = sizeof(struct drop_constraint),
	.fields = single_fields,
	.compile = compile,
};

const struct op_kind op_drop_multicolumn_constraint = {
	.name = "drop_multicolumn_constraint",
	.size = sizeof(struct drop_constraint),
	.fields = multi_fields,
	.compile = compile,
};
