/* raw_sql: SQL written by the plan's author for any phase, each {up, down}
 * run as written (alone outside a transaction when it is one statement
 * that cannot run in one), and a backfill whose SET list runs in keyset batches on
 * the table's primary key like any other. */
#include "config.h"

#include <stdlib.h>

#include "ops/ops.h"
#include "base/xalloc.h"

struct raw_phase {
	char *up;
	char *down;
};

struct raw_backfill {
	char *table;
	char *update;		/* a SET list: col = expr, ... */
	char *where;
};

struct raw_sql {
	struct raw_phase *phases[N_PHASES];	/* [PHASE_BACKFILL] stays NULL */
	struct raw_backfill *backfill;
};

static const struct field phase_fields[] = {
	{.key = "up", .type = F_STR, .offset = offsetof(struct raw_phase, up), .required = true, .sql = FSQL_STMTS},
	{.key = "down", .type = F_STR, .offset = offsetof(struct raw_phase, down), .sql = FSQL_STMTS},
	FIELD_END
};

static bool
raw_phase_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	struct raw_phase **out = dst;

	*out = xcalloc(1, sizeof(**out));
	return fields_parse(y, n, phase_fields, *out, "raw_sql phase");
}

static void
raw_phase_free(void *dst)
{
	struct raw_phase **p = dst;

	if (*p) {
		fields_free(phase_fields, *p);
		free(*p);
		*p = NULL;
	}
}

static const struct field backfill_fields[] = {
	{.key = "table", .type = F_IDENT, .offset = offsetof(struct raw_backfill, table), .required = true},
	{.key = "update", .type = F_STR, .offset = offsetof(struct raw_backfill, update), .required = true,
	 .sql = FSQL_SET},
	{.key = "where", .type = F_STR, .offset = offsetof(struct raw_backfill, where), .sql = FSQL_EXPR},
	FIELD_END
};

static bool
backfill_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	struct raw_backfill **out = dst;

	*out = xcalloc(1, sizeof(**out));
	return fields_parse(y, n, backfill_fields, *out, "raw_sql.backfill");
}

static void
backfill_free(void *dst)
{
	struct raw_backfill **b = dst;

	if (*b) {
		fields_free(backfill_fields, *b);
		free(*b);
		*b = NULL;
	}
}

#define PH(ph) offsetof(struct raw_sql, phases) + (ph) * sizeof(struct raw_phase *)
static const struct field fields[] = {
	{.key = "expand", .type = F_CUSTOM, .offset = PH(PHASE_EXPAND), .parse = raw_phase_parse, .free = raw_phase_free,
	 .sub = phase_fields},
	{.key = "backfill", .type = F_CUSTOM, .offset = offsetof(struct raw_sql, backfill),
	 .parse = backfill_parse, .free = backfill_free, .sub = backfill_fields},
	{.key = "switch", .type = F_CUSTOM, .offset = PH(PHASE_SWITCH), .parse = raw_phase_parse, .free = raw_phase_free,
	 .sub = phase_fields},
	{.key = "contract", .type = F_CUSTOM, .offset = PH(PHASE_CONTRACT), .parse = raw_phase_parse, .free = raw_phase_free,
	 .sub = phase_fields},
	FIELD_END
};
#undef PH

static bool
validate(struct ydoc *y, yaml_node_t *map, void *data)
{
	struct raw_sql *r = data;

	if (!r->phases[PHASE_EXPAND] && !r->backfill && !r->phases[PHASE_SWITCH] && !r->phases[PHASE_CONTRACT]) {
		ydoc_error(y, map, "raw_sql needs at least one of expand, backfill, switch or contract");
		return false;
	}
	return true;
}

static void
compile(struct compile_ctx *cc, const void *data)
{
	const struct raw_sql *r = data;

	for (int ph = 0; ph < N_PHASES; ph++) {
		const struct raw_phase *p = r->phases[ph];

		if (ph == PHASE_BACKFILL && r->backfill)
			emit_backfill(cc, xasprintf("backfill %s (raw sql)", r->backfill->table),
				      (struct backfill) {
					      .table = xstrdup(r->backfill->table),
					      .set_sql = xstrdup(r->backfill->update),
					      .where_sql = r->backfill->where ? xstrdup(r->backfill->where) : NULL,
				      });
		if (!p)
			continue;
		emit_raw_sql(cc, (enum phase) ph,
			     p->down ? xasprintf("run raw sql (%s)", phase_name((enum phase) ph))
			     : xasprintf("run raw sql (%s; no down: a rollback leaves its effects in place)",
					 phase_name((enum phase) ph)),
			     xstrdup(p->up), p->down ? xstrdup(p->down) : NULL);
	}
}

const struct op_kind op_raw_sql = {
	.name = "raw_sql",
	.size = sizeof(struct raw_sql),
	.fields = fields,
	.validate = validate,
	.compile = compile,
};
