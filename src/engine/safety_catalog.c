/*
 * Safety decisions at run time: the live catalog's answer, which wins over
 * the parse tree's (safety.c).
 *
 * PostgreSQL resolves a call by name, argument types and search_path, and
 * only the server can do that as it will when the statement runs: an
 * unqualified upper(x) is pg_catalog's upper(text) for a text x, and a
 * function of the plan's schema for an integer. So the expression is made
 * into a temporary view on the plan's search_path, in a savepoint that is
 * rolled back: nothing is run, and the view's dependencies (pg_depend)
 * name every function and operator outside pg_catalog it resolved to.
 * pg_catalog's own are pinned, which no dependency names: for those the
 * answer is the most volatile of pg_catalog's functions of each name the
 * expression calls (no built-in name has both volatile and other
 * overloads that a default would call; no built-in operator is volatile).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/conn.h"
#include "plan/fields.h"
#include "plan/plan.h"
#include "pg/safety.h"
#include "pg/sql.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

#define SAVEPOINT "_pgstep_volatility"
#define VIEW "pg_temp._pgstep_volatility"

/* Every function outside pg_catalog the view calls, the most volatile
 * first; an operator counts as the function that implements it. */
static const char *const deps_sql =
	"SELECT p.proname, n.nspname, p.provolatile "
	"FROM pg_catalog.pg_rewrite r "
	"JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid = r.oid "
	"LEFT JOIN pg_catalog.pg_operator o "
	"  ON d.refclassid = 'pg_catalog.pg_operator'::pg_catalog.regclass AND o.oid = d.refobjid "
	"JOIN pg_catalog.pg_proc p ON p.oid = CASE WHEN d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass "
	"  THEN d.refobjid ELSE o.oprcode::pg_catalog.oid END "
	"JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
	"WHERE r.ev_class = '" VIEW "'::pg_catalog.regclass "
	"ORDER BY CASE p.provolatile WHEN 'v' THEN 0 WHEN 's' THEN 1 ELSE 2 END, n.nspname, p.proname";

/* The pg_catalog functions of the names the expression calls: raises
 * out->v (and *why) to the most volatile of them. */
static bool
builtin_calls(PGconn *c, const char *expr, struct safety_fact *out, char **why, char *err, size_t errlen)
{
	struct strlist names = {0};
	bool ok = true;

	safety_expr_catalog_calls(expr, &names);
	for (size_t i = 0; ok && i < names.n; i++) {
		const char *p[1] = {names.v[i]};
		PGresult *r = PQexecParams(c,
					   "SELECT max(CASE provolatile WHEN 'i' THEN 0 WHEN 's' THEN 1 ELSE 2 END) "
					   "FROM pg_catalog.pg_proc WHERE proname = $1 "
					   "AND pronamespace = 'pg_catalog'::pg_catalog.regnamespace",
					   1, NULL, p, NULL, NULL, 0);

		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			conn_result_error(r, c, err, errlen);
			ok = false;
		} else if (!PQgetisnull(r, 0, 0)) {
			int m = atoi(PQgetvalue(r, 0, 0));
			enum volatility v = m == 0 ? VOL_IMMUTABLE : m == 1 ? VOL_STABLE : VOL_VOLATILE;

			if (v > out->v || (v == out->v && !*why)) {
				out->v = v;
				free(*why);
				*why = xasprintf("%s() is %s in the catalog", names.v[i], safety_volatility_name(v));
			}
		}
		PQclear(r);
	}
	strlist_free(&names);
	return ok;
}

bool
safety_catalog_volatility(PGconn *c, const struct plan *p, const char *expr, const char *type,
			  struct safety_fact *out, char *err, size_t errlen)
{
	char *path = plan_search_path(p), *set = xasprintf("SET LOCAL search_path = %s", path);
	char *view = type ? xasprintf("CREATE TEMP VIEW " VIEW " AS SELECT CAST((%s\n) AS %s) AS v", expr, type)
		: xasprintf("CREATE TEMP VIEW " VIEW " AS SELECT (%s\n) AS v", expr);
	struct vol_answer values;
	PGresult *r = NULL;
	char e2[512];
	char *why = NULL;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	out->expr = xstrdup(expr);
	out->type = type ? xstrdup(type) : NULL;
	out->v = VOL_VOLATILE;
	if (!conn_exec(c, "SAVEPOINT " SAVEPOINT, err, errlen) || !conn_exec(c, set, err, errlen))
		goto out;
	/* one statement, by the extended protocol: nothing can follow it */
	r = PQexecParams(c, view, 0, NULL, NULL, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		if (PQstatus(c) != CONNECTION_OK) {
			conn_result_error(r, c, err, errlen);
			goto out;
		}
		/* not resolvable as PostgreSQL resolves it: counted as volatile */
		const char *primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);

		why = xasprintf("%s cannot be resolved on the plan's search path, %s (%s), so it counts as volatile", expr,
				path, primary ? primary : "an error");
		PQclear(r);
		r = NULL;
		ok = conn_exec(c, "ROLLBACK TO SAVEPOINT " SAVEPOINT "; RELEASE SAVEPOINT " SAVEPOINT, err, errlen);
		goto out;
	}
	PQclear(r);
	r = NULL;
	if (!conn_exec(c, "SET LOCAL search_path = " SQL_INTERNAL_PATH, err, errlen))
		goto out;
	r = PQexecParams(c, deps_sql, 0, NULL, NULL, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		conn_result_error(r, c, err, errlen);
		goto out;
	}
	out->v = VOL_IMMUTABLE;
	if (PQntuples(r) > 0) {
		const char *nsp = PQgetvalue(r, 0, 1);
		bool catalog = strcmp(nsp, "pg_catalog") == 0;

		out->v = safety_volatility_from_char(PQgetvalue(r, 0, 2)[0]);
		why = xasprintf("%s%s%s() is %s in the catalog", catalog ? "" : nsp, catalog ? "" : ".", PQgetvalue(r, 0, 0),
				safety_volatility_name(out->v));
	}
	PQclear(r);
	r = NULL;
	if (!builtin_calls(c, expr, out, &why, err, errlen))
		goto out;
	if (!why)
		why = xasprintf("%s calls no function (immutable)", expr);
	/* CURRENT_TIMESTAMP and its kind are no function the view depends on */
	if (safety_expr_value_functions(expr, &values) && values.v > out->v) {
		out->v = values.v;
		free(why);
		why = xasprintf("%s is %s", values.what, safety_volatility_name(values.v));	/* never volatile */
	}
	ok = conn_exec(c, "ROLLBACK TO SAVEPOINT " SAVEPOINT "; RELEASE SAVEPOINT " SAVEPOINT, err, errlen);
out:
	PQclear(r);
	if (!ok)
		out->v = VOL_VOLATILE;	/* no answer is no license */
	if (!ok && PQstatus(c) == CONNECTION_OK)
		/* an error of pgstep's own query: its savepoint goes, the
		 * transaction stays usable for the caller to end */
		conn_exec(c, "ROLLBACK TO SAVEPOINT " SAVEPOINT "; RELEASE SAVEPOINT " SAVEPOINT, e2, sizeof(e2));
	out->why = why ? why : xstrdup("the catalog could not be asked");
	free(view);
	free(set);
	free(path);
	return ok;
}
