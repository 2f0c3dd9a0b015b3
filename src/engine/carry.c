#include "config.h"

#include <json-c/json.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/carry.h"
#include "pg/carry_sql.h"
#include "store/conn.h"
#include "ops/helpers.h"
#include "pg/pgparse.h"
#include "pg/sql.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

/* ---- the step, against the database ---- */

/* Runs one statement as a step of its own (lock_timeout and retries, the
 * INVALID leftover of a failed build dropped), recorded under `index`
 * without moving the phase's progress. */
static enum engine_result
run_sql(struct engine *e, const struct plan *p, const struct step *s, int index, bool no_txn, char *summary,
	char *sql, char *err, size_t errlen)
{
	struct step one = {.kind = STEP_SQL, .phase = s->phase, .op_index = s->op_index, .table = s->table,
			   .summary = summary, .sql = sql, .no_txn = no_txn};
	enum engine_result rc = runner_run_step(e, p, &one, index, false, index, err, errlen);

	free(summary);
	free(sql);
	return rc;
}

static bool
save(struct engine *e, const struct plan *p, const char *key, json_object *value, char *err, size_t errlen)
{
	const char *params[3] = {p->name, key, json_object_to_json_string_ext(value, JSON_C_TO_STRING_PLAIN)};
	PGresult *r = engine_exec(e,
				  "INSERT INTO pgstep.saved (migration, key, value) VALUES ($1, $2, $3) "
				  "ON CONFLICT (migration, key) DO UPDATE SET value = EXCLUDED.value, saved_at = now()",
				  3, params);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;

	if (!ok)
		conn_result_error(r, e->conn, err, errlen);
	PQclear(r);
	return ok;
}

static PGresult *
query(struct engine *e, const char *sql, int n, const char *const *params, char *err, size_t errlen)
{
	PGresult *r = engine_exec(e, sql, n, params);

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		conn_result_error(r, e->conn, err, errlen);
		PQclear(r);
		return NULL;
	}
	return r;
}

static const char *const indexes_sql =
	"SELECT c.relname, pg_get_indexdef(i.indexrelid), coalesce(k.contype::text, ''), coalesce(k.conname, ''), "
	"       coalesce(k.condeferrable, false), coalesce(k.condeferred, false) "
	"FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
	"LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x') "
	"JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attname = $2 "
	"WHERE i.indrelid = to_regclass($1) AND i.indisvalid AND c.relname NOT LIKE '\\_pgstep\\_%' "
	/* a key or INCLUDE column; in an expression or a predicate, the
	 * index depends on the column (a constraint's index does only
	 * through its constraint, and keys it) */
	"  AND (a.attnum = ANY (i.indkey::int2[]) "
	"       OR EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid "
	"                  AND d.refclassid = 'pg_class'::regclass AND d.refobjid = i.indrelid AND d.refobjsubid = a.attnum)) "
	"ORDER BY c.relname";

static const char *const constraints_sql =
	"SELECT k.conname, k.contype::text, pg_get_constraintdef(k.oid), k.convalidated "
	"FROM pg_constraint k "
	"WHERE k.conrelid = to_regclass($1) AND k.contype IN ('c', 'f') AND k.conname NOT LIKE '\\_pgstep\\_%' "
	"  AND (SELECT attnum FROM pg_attribute WHERE attrelid = k.conrelid AND attname = $2) = ANY (k.conkey) "
	"ORDER BY k.conname";

static enum engine_result
carry_indexes(struct engine *e, const struct plan *p, const struct step *s, int index, const char *qfrom,
	      const char *qto, const char *prefix, char *err, size_t errlen)
{
	const struct carry *cr = s->carry;
	char *qt = plan_qualified(p, cr->table);
	const char *params[2] = {qt, cr->from};
	PGresult *r = query(e, indexes_sql, 2, params, err, errlen);
	enum engine_result rc = ENG_OK;

	free(qt);
	if (!r)
		return ENG_FAILED;
	for (int i = 0; i < PQntuples(r) && rc == ENG_OK; i++) {
		const char *orig = PQgetvalue(r, i, 0), *def = PQgetvalue(r, i, 1), *contype = PQgetvalue(r, i, 2);
		const char *conname = PQgetvalue(r, i, 3);
		char *carried = sql_helper_name(orig, NULL, "carry"), *qc = sql_ident(carried);
		char *sql = carry_index_sql(def, qfrom, qto, qc);
		char *key = xasprintf("%s%s", prefix, orig);
		json_object *v = json_object_new_object();

		if (strcmp(contype, "x") == 0 || !sql) {
			snprintf(err, errlen, "index %s on %s.%s cannot be carried to %s%s: %s", orig, cr->table, cr->from, cr->to,
				 strcmp(contype, "x") == 0 ? " (it backs an exclusion constraint)" : "", def);
			rc = ENG_FAILED;
		} else {
			json_object_object_add(v, "kind", json_object_new_string(contype[0] ? contype : "index"));
			json_object_object_add(v, "carried", json_object_new_string(carried));
			json_object_object_add(v, "name", json_object_new_string(contype[0] ? conname : orig));
			json_object_object_add(v, "deferrable", json_object_new_boolean(PQgetvalue(r, i, 4)[0] == 't'));
			json_object_object_add(v, "deferred", json_object_new_boolean(PQgetvalue(r, i, 5)[0] == 't'));
			/* saved first: a rollback must find what a crash left half built */
			if (!save(e, p, key, v, err, errlen))
				rc = ENG_FAILED;
			else {
				rc = run_sql(e, p, s, index, true,
					     xasprintf("carry index %s of %s to %s as %s", orig, cr->from, cr->to, carried),
					     sql, err, errlen);
				sql = NULL;
			}
		}
		json_object_put(v);
		free(sql);
		free(key);
		free(qc);
		free(carried);
	}
	PQclear(r);
	return rc;
}

static enum engine_result
carry_constraints(struct engine *e, const struct plan *p, const struct step *s, int index, const char *qfrom,
		  const char *qto, const char *prefix, char *err, size_t errlen)
{
	const struct carry *cr = s->carry;
	char *qt = plan_qualified(p, cr->table);
	const char *params[2] = {qt, cr->from};
	PGresult *r = query(e, constraints_sql, 2, params, err, errlen);
	enum engine_result rc = ENG_OK;

	if (!r) {
		free(qt);
		return ENG_FAILED;
	}
	for (int i = 0; i < PQntuples(r) && rc == ENG_OK; i++) {
		const char *orig = PQgetvalue(r, i, 0), *contype = PQgetvalue(r, i, 1), *def = PQgetvalue(r, i, 2);
		bool valid = PQgetvalue(r, i, 3)[0] == 't';
		char *carried = sql_helper_name(orig, NULL, "carry"), *qc = sql_ident(carried), *lc = sql_literal(carried);
		char *rel = sql_literal(qt);
		char *newdef = carry_constraint_sql(def, contype[0], qfrom, qto);
		char *key = xasprintf("%s%s", prefix, orig);
		json_object *v = json_object_new_object();

		if (!newdef) {
			snprintf(err, errlen, "constraint %s on %s.%s cannot be carried to %s: %s", orig, cr->table, cr->from,
				 cr->to, def);
			rc = ENG_FAILED;
		} else {
			/* NOT VALID, as it may already be there after a crash */
			char *body = xasprintf("\nBEGIN\n"
					       "  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = %s::regclass AND conname = %s) THEN\n"
					       "    ALTER TABLE %s ADD CONSTRAINT %s %s NOT VALID;\n"
					       "  END IF;\n"
					       "END\n",
					       rel, lc, qt, qc, newdef);

			json_object_object_add(v, "kind", json_object_new_string(contype));
			json_object_object_add(v, "carried", json_object_new_string(carried));
			json_object_object_add(v, "name", json_object_new_string(orig));
			if (!save(e, p, key, v, err, errlen))
				rc = ENG_FAILED;
			else
				rc = run_sql(e, p, s, index, false,
					     xasprintf("carry constraint %s of %s to %s as %s (not valid)", orig, cr->from, cr->to,
						       carried),
					     do_block(body), err, errlen);
			/* validated as the original was */
			if (rc == ENG_OK && valid)
				rc = run_sql(e, p, s, index, false, xasprintf("validate carried constraint %s", carried),
					     xasprintf("ALTER TABLE %s VALIDATE CONSTRAINT %s", qt, qc), err, errlen);
			free(body);
		}
		json_object_put(v);
		free(newdef);
		free(key);
		free(rel);
		free(lc);
		free(qc);
		free(carried);
	}
	PQclear(r);
	free(qt);
	return rc;
}

enum engine_result
carry_run(struct engine *e, const struct plan *p, const struct step *s, int index, char *err, size_t errlen)
{
	const struct carry *cr = s->carry;
	char *prefix = carry_key_prefix(cr->table, cr->to);
	const char *params[2] = {cr->from, cr->to};
	PGresult *r = query(e, "SELECT quote_ident($1), quote_ident($2)", 2, params, err, errlen);
	enum engine_result rc;
	char *qfrom, *qto;

	if (!r) {
		free(prefix);
		return ENG_FAILED;
	}
	qfrom = xstrdup(PQgetvalue(r, 0, 0));
	qto = xstrdup(PQgetvalue(r, 0, 1));
	PQclear(r);
	rc = carry_indexes(e, p, s, index, qfrom, qto, prefix, err, errlen);
	if (rc == ENG_OK)
		rc = carry_constraints(e, p, s, index, qfrom, qto, prefix, err, errlen);
	if (rc == ENG_OK && !state_set_progress(e->conn, p->name, index + 1, err, errlen))
		rc = ENG_FAILED;
	if (rc == ENG_FAILED && PQstatus(e->conn) == CONNECTION_OK) {
		/* The phase is undone up to this step; this step undoes itself,
		 * so that nothing it carried before failing is left behind. */
		char uerr[512];

		if (carry_undo(e, p, s, index, uerr, sizeof(uerr)) != ENG_OK)
			engine_log(e, 'E', "undoing the carry of %s.%s also failed: %s", cr->table, cr->from, uerr);
	}
	free(qfrom);
	free(qto);
	free(prefix);
	return rc;
}

enum engine_result
carry_undo(struct engine *e, const struct plan *p, const struct step *s, int index, char *err, size_t errlen)
{
	const struct carry *cr = s->carry;
	char *prefix = carry_key_prefix(cr->table, cr->to);
	char *qt = plan_qualified(p, cr->table);
	const char *params[2] = {p->name, prefix};
	/* constraints first: a carried foreign key may need a carried index.
	 * The prefix is compared as it is: in a LIKE pattern, a name's "_"
	 * or "%" would match the keys of another table or column. */
	PGresult *r = query(e,
			    "SELECT key, value::jsonb ->> 'kind', value::jsonb ->> 'carried' FROM pgstep.saved "
			    "WHERE migration = $1 AND pg_catalog.starts_with(key, $2) "
			    "ORDER BY value::jsonb ->> 'kind' IN ('c', 'f') DESC, key",
			    2, params, err, errlen);
	enum engine_result rc = ENG_OK;

	for (int i = 0; r && i < PQntuples(r) && rc == ENG_OK; i++) {
		const char *kind = PQgetvalue(r, i, 1);
		char *qc = sql_ident(PQgetvalue(r, i, 2)), *qi = plan_qualified(p, PQgetvalue(r, i, 2));
		bool constraint = strcmp(kind, "c") == 0 || strcmp(kind, "f") == 0;

		rc = constraint
			? run_sql(e, p, s, index, false, xasprintf("drop carried constraint %s", PQgetvalue(r, i, 2)),
				  xasprintf("ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s", qt, qc), err, errlen)
			: run_sql(e, p, s, index, true, xasprintf("drop carried index %s", PQgetvalue(r, i, 2)),
				  xasprintf("DROP INDEX CONCURRENTLY IF EXISTS %s", qi), err, errlen);
		if (rc == ENG_OK) {
			const char *del[2] = {p->name, PQgetvalue(r, i, 0)};
			PGresult *d = engine_exec(e, "DELETE FROM pgstep.saved WHERE migration = $1 AND key = $2", 2, del);

			if (PQresultStatus(d) != PGRES_COMMAND_OK) {
				conn_result_error(d, e->conn, err, errlen);
				rc = ENG_FAILED;
			}
			PQclear(d);
		}
		free(qc);
		free(qi);
	}
	if (!r)
		rc = ENG_FAILED;
	PQclear(r);
	if (rc == ENG_OK && !state_set_progress(e->conn, p->name, index, err, errlen))
		rc = ENG_FAILED;
	free(qt);
	free(prefix);
	return rc;
}
