#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/fields.h"
#include "pg/pgparse.h"
#include "plan/plan.h"
#include "plan/plan_throttle.h"
#include "base/xalloc.h"

#define L(m) offsetof(struct load_limits, m)
static const struct field max_load_fields[] = {
	{.key = "active_sessions", .type = F_INT, .offset = L(active_sessions), .min = 0, .max = 1000000},
	{.key = "wal_per_second", .type = F_SIZE, .offset = L(wal_per_second), .min = 0},
	FIELD_END
};

static const struct field critical_load_fields[] = {
	{.key = "active_sessions", .type = F_INT, .offset = L(active_sessions), .min = 0, .max = 1000000},
	{.key = "wal_per_second", .type = F_SIZE, .offset = L(wal_per_second), .min = 0},
	{.key = "replica_lag", .type = F_DURATION, .offset = L(replica_lag_ms), .min = 0, .max = INT_MAX},
	{.key = "checks", .type = F_INT, .offset = L(checks), .min = 1, .max = 1000},
	FIELD_END
};
#undef L

bool
plan_parse_max_load(struct ydoc *y, yaml_node_t *n, void *dst)
{
	return fields_parse(y, n, max_load_fields, dst, "settings.max_load");
}

bool
plan_parse_critical_load(struct ydoc *y, yaml_node_t *n, void *dst)
{
	return fields_parse(y, n, critical_load_fields, dst, "settings.critical_load");
}

/* Whether a WITH of `sel` holds anything but a SELECT. */
static bool
modifying_cte(json_object *sel)
{
	json_object *ctes = jget(jget(sel, "withClause"), "ctes");

	for (size_t i = 0; i < jlen(ctes); i++) {
		json_object *cte = jget(jat(ctes, i), "CommonTableExpr");

		if (!node_as(jget(cte, "ctequery"), "SelectStmt"))
			return true;
	}
	return false;
}

bool
throttle_query_check(const char *sql, char *why, size_t whylen, long *offset)
{
	struct parsed ps;
	json_object *sel;
	bool ok = false;

	*offset = -1;
	if (!sql_parse(sql, &ps)) {
		*offset = ps.cursor > 0 ? ps.cursor - 1 : -1;
		snprintf(why, whylen, "does not parse: %s", ps.error);
	} else if (jlen(ps.stmts) != 1) {
		snprintf(why, whylen, "holds %zu statements, not one SELECT", jlen(ps.stmts));
	} else if (!(sel = node_as(jget(jat(ps.stmts, 0), "stmt"), "SelectStmt"))) {
		json_object *body;
		const char *type = node_type(jget(jat(ps.stmts, 0), "stmt"), &body);

		snprintf(why, whylen, "is not a SELECT (PostgreSQL reads it as %s)", type ? type : "something else");
	} else if (jget(sel, "intoClause")) {
		snprintf(why, whylen, "is a SELECT INTO, which creates a table");
	} else if (modifying_cte(sel)) {
		snprintf(why, whylen, "has a WITH that writes (INSERT, UPDATE, DELETE or MERGE)");
	} else if (jget(sel, "lockingClause")) {
		snprintf(why, whylen, "locks rows (FOR UPDATE, FOR SHARE)");
	} else if (jlen(jget(sel, "targetList")) != 1) {
		snprintf(why, whylen, "must select exactly one value (a boolean), not %zu", jlen(jget(sel, "targetList")));
	} else
		ok = true;
	parsed_free(&ps);
	return ok;
}

bool
plan_parse_throttle_query(struct ydoc *y, yaml_node_t *n, void *dst)
{
	const char *v = ydoc_scalar(y, n, "settings.throttle_query");
	char why[512];
	long offset;

	if (!v)
		return false;
	if (!throttle_query_check(v, why, sizeof(why), &offset)) {
		if (offset >= 0)
			ydoc_error(y, n, "settings.throttle_query %s (at character %ld): it must be one SELECT returning a boolean",
				   why, offset + 1);
		else
			ydoc_error(y, n, "settings.throttle_query %s: it must be one SELECT returning a boolean", why);
		return false;
	}
	*(char **) dst = xstrdup(v);
	return true;
}
