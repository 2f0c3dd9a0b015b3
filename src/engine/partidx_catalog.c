/* What partidx.c reads from the catalog and keeps in pgstep.saved: a
 * partitioned table's partitions, the names their indexes get (as
 * PostgreSQL would name them), and whether those are built, valid and
 * attached. */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/conn.h"
#include "engine/partidx.h"
#include "engine/partidx_int.h"
#include "pg/sql.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

#define NAME_MAX_BYTES 63	/* NAMEDATALEN - 1 */

/* ---- names, offline ---- */

/* The bytes of s within n that do not cut a UTF-8 character. */
static size_t
clip_utf8(const char *s, size_t n)
{
	if (n >= strlen(s))
		return strlen(s);
	while (n > 0 && ((unsigned char) s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

char *
partidx_index_name(const char *table, const struct strlist *names, const char *label, int pass)
{
	struct strlist cols = {0};
	struct strbuf add = STRBUF_INIT;
	char *modlabel, *name;

	/* ChooseIndexColumnNames: a name met before gets 1, 2, ... */
	for (size_t i = 0; names && i < names->n; i++) {
		const char *orig = names->v[i];
		char *cur = xstrdup(orig);

		for (int n = 1; strlist_contains(&cols, cur); n++) {
			char num[16];

			snprintf(num, sizeof(num), "%d", n);
			free(cur);
			cur = xasprintf("%.*s%s", (int) clip_utf8(orig, NAME_MAX_BYTES - strlen(num)), orig, num);
		}
		strlist_add(&cols, cur);
		free(cur);
	}
	/* ChooseIndexNameAddition: joined by "_", stopping once past 63 bytes */
	for (size_t i = 0; i < cols.n; i++) {
		if (add.len)
			sb_puts(&add, "_");
		sb_puts(&add, cols.v[i]);
		if (add.len > NAME_MAX_BYTES)
			break;
	}
	if (pass > 0)
		modlabel = xasprintf("%s%d", label, pass);
	else
		modlabel = xstrdup(label);
	name = sql_pg_name(table, add.len ? add.buf : NULL, modlabel);
	free(modlabel);
	sb_free(&add);
	strlist_free(&cols);
	return name;
}

/* ---- talking to the database ---- */

PGresult *
partidx_query(struct engine *e, const char *sql, int n, const char *const *params, char *err, size_t errlen)
{
	PGresult *r = engine_exec(e, sql, n, params);

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		conn_result_error(r, e->conn, err, errlen);
		PQclear(r);
		return NULL;
	}
	return r;
}

/* The first value of a one-row query, copied; "" when it returns no row.
 * NULL on an error. */
char *
partidx_value(struct engine *e, const char *sql, int n, const char *const *params, char *err, size_t errlen)
{
	PGresult *r = partidx_query(e, sql, n, params, err, errlen);
	char *v;

	if (!r)
		return NULL;
	v = xstrdup(PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return v;
}

bool
partidx_command(struct engine *e, const char *sql, int n, const char *const *params, char *err, size_t errlen)
{
	PGresult *r = engine_exec(e, sql, n, params);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;

	if (!ok)
		conn_result_error(r, e->conn, err, errlen);
	PQclear(r);
	return ok;
}

/* 'p' when the relation is a partitioned table, its relkind otherwise,
 * '-' when there is none; '\0' on an error. */
char
partidx_relkind(struct engine *e, const char *qualified, char *err, size_t errlen)
{
	const char *params[1] = {qualified};
	char *v = partidx_value(e, "SELECT c.relkind FROM pg_class c WHERE c.oid = pg_catalog.to_regclass($1)", 1,
			      params, err, errlen);
	char k;

	if (!v)
		return '\0';
	k = v[0] ? v[0] : '-';
	free(v);
	return k;
}

void
partidx_tree_free(struct partidx_tree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].relid);
		free(t->v[i].parent);
		free(t->v[i].schema);
		free(t->v[i].name);
		free(t->v[i].index);
	}
	free(t->v);
	free(t->relid);
	memset(t, 0, sizeof(*t));
}

/* The order in which the partitions are built, parents first; the
 * monitor numbers the partition being built in the same order. */
static const char *const tree_sql =
	"SELECT t.relid::oid::text, coalesce(t.parentrelid::oid::text, ''), c.relkind, n.nspname, c.relname, "
	"       pg_catalog.to_regclass($1)::oid::text "
	"FROM pg_catalog.pg_partition_tree(pg_catalog.to_regclass($1)) t "
	"JOIN pg_class c ON c.oid = t.relid JOIN pg_namespace n ON n.oid = c.relnamespace "
	"WHERE t.level > 0 ORDER BY t.level, c.relname";

bool
partidx_tree_load(struct engine *e, const char *top, const char *table, struct partidx_tree *t, char *err, size_t errlen)
{
	const char *params[1] = {top};
	PGresult *r = partidx_query(e, tree_sql, 1, params, err, errlen);

	memset(t, 0, sizeof(*t));
	if (!r)
		return false;
	t->v = xcalloc((size_t) PQntuples(r) + 1, sizeof(*t->v));
	for (int i = 0; i < PQntuples(r); i++) {
		char kind = PQgetvalue(r, i, 2)[0];

		if (kind != 'p' && kind != 'r') {
			char *q = sql_qualified(PQgetvalue(r, i, 3), PQgetvalue(r, i, 4));

			snprintf(err, errlen,
				 "partition %s of %s is %s: PostgreSQL cannot index it, so an index on %s could never become valid; detach it first",
				 q, table, kind == 'f' ? "a foreign table" : "not a table", table);
			free(q);
			PQclear(r);
			partidx_tree_free(t);
			return false;
		}
		t->v[t->n].relid = xstrdup(PQgetvalue(r, i, 0));
		t->v[t->n].parent = xstrdup(PQgetvalue(r, i, 1));
		t->v[t->n].kind = kind;
		t->v[t->n].schema = xstrdup(PQgetvalue(r, i, 3));
		t->v[t->n].name = xstrdup(PQgetvalue(r, i, 4));
		t->n++;
		if (kind == 'r')
			t->leaves++;
	}
	t->relid = xstrdup(PQntuples(r) > 0 ? PQgetvalue(r, 0, 5) : "");
	PQclear(r);
	return true;
}

const struct partidx_node *
partidx_tree_find(const struct partidx_tree *t, const char *relid)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].relid, relid) == 0)
			return &t->v[i];
	return NULL;
}

/* ---- pgstep.saved: the partitions' index names ---- */

static char *
saved_key(const struct index_build *ib, const char *relid)
{
	return xasprintf("partidx:%s:%s", ib->name, relid);
}

const char *const partidx_saved_rows_sql =
	"SELECT s.key, s.value::jsonb ->> 'schema', s.value::jsonb ->> 'table', s.value::jsonb ->> 'index', "
	"       (s.value::jsonb ->> 'partitioned')::boolean "
	"FROM pgstep.saved s WHERE s.migration = $1 AND pg_catalog.starts_with(s.key, 'partidx:') "
	"  AND s.value::jsonb ->> 'of' = $2 "
	"ORDER BY (s.value::jsonb ->> 'partitioned')::boolean DESC, s.key";

/* The index name saved for a partition, or NULL; *failed on an error. */
char *
partidx_saved_name(struct engine *e, const struct plan *p, const struct index_build *ib, const char *relid, bool *failed,
	   char *err, size_t errlen)
{
	char *key = saved_key(ib, relid);
	const char *params[2] = {p->name, key};
	char *v = partidx_value(e, "SELECT s.value::jsonb ->> 'index' FROM pgstep.saved s WHERE s.migration = $1 AND s.key = $2",
			      2, params, err, errlen);

	free(key);
	*failed = v == NULL;
	if (v && !v[0]) {
		free(v);
		v = NULL;
	}
	return v;
}

/* The name PostgreSQL would give the partition's index: the first of its
 * candidates that no relation (and, for a constraint, no constraint) of
 * the partition's schema has, nor another partition's saved index. */
static char *
choose_name(struct engine *e, const struct plan *p, const struct index_build *ib, const struct partidx_node *n, char *err,
	    size_t errlen)
{
	bool pk = ib->constraint && strcmp(ib->constraint, "PRIMARY KEY") == 0;
	const char *label = !ib->constraint ? "idx" : pk ? "pkey" : "key";

	for (int pass = 0; pass < 1000; pass++) {
		char *cand = partidx_index_name(n->name, pk ? NULL : &ib->names, label, pass);
		const char *params[4] = {n->schema, cand, ib->constraint ? "t" : "f", p->name};
		char *taken = partidx_value(e,
					  "SELECT EXISTS (SELECT FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace "
					  "               WHERE s.nspname = $1 AND c.relname = $2) "
					  "    OR ($3::boolean AND EXISTS (SELECT FROM pg_constraint k JOIN pg_namespace s ON s.oid = k.connamespace "
					  "                                WHERE s.nspname = $1 AND k.conname = $2)) "
					  "    OR EXISTS (SELECT FROM pgstep.saved v WHERE v.migration = $4 AND pg_catalog.starts_with(v.key, 'partidx:') "
					  "               AND v.value::jsonb ->> 'schema' = $1 AND v.value::jsonb ->> 'index' = $2)",
					  4, params, err, errlen);

		if (!taken) {
			free(cand);
			return NULL;
		}
		if (strcmp(taken, "f") == 0) {
			free(taken);
			return cand;
		}
		free(taken);
		free(cand);
	}
	snprintf(err, errlen, "no free name for the index of partition %s", n->name);
	return NULL;
}

/* The partition's index name: the one saved, or a new one, saved before
 * anything is built under it. */
char *
partidx_name_for(struct engine *e, const struct plan *p, const struct index_build *ib, const struct partidx_node *n, char *err,
	       size_t errlen)
{
	bool failed;
	char *name = partidx_saved_name(e, p, ib, n->relid, &failed, err, errlen);
	char *key;
	json_object *v;
	bool ok;

	if (name || failed)
		return name;
	if (!(name = choose_name(e, p, ib, n, err, errlen)))
		return NULL;
	key = saved_key(ib, n->relid);
	v = json_object_new_object();
	json_object_object_add(v, "of", json_object_new_string(ib->name));
	json_object_object_add(v, "schema", json_object_new_string(n->schema));
	json_object_object_add(v, "table", json_object_new_string(n->name));
	json_object_object_add(v, "index", json_object_new_string(name));
	json_object_object_add(v, "partitioned", json_object_new_boolean(n->kind == 'p'));
	{
		const char *params[3] = {p->name, key, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN)};

		ok = partidx_command(e,
			     "INSERT INTO pgstep.saved (migration, key, value) VALUES ($1, $2, $3) "
			     "ON CONFLICT (migration, key) DO UPDATE SET value = EXCLUDED.value, saved_at = now()",
			     3, params, err, errlen);
	}
	json_object_put(v);
	free(key);
	if (!ok) {
		free(name);
		return NULL;
	}
	return name;
}

/* "t" valid, "f" invalid, "" no such index; NULL on an error. */
char *
partidx_validity(struct engine *e, const char *qualified, char *err, size_t errlen)
{
	const char *params[1] = {qualified};

	return partidx_value(e, "SELECT i.indisvalid FROM pg_index i WHERE i.indexrelid = pg_catalog.to_regclass($1)", 1,
			   params, err, errlen);
}

/* The index of partition `relid` attached under the index `parent`
 * (qualified), as "schema"."name"; "" when none. */
char *
partidx_attached(struct engine *e, const char *parent, const char *relid, char *err, size_t errlen)
{
	const char *params[2] = {parent, relid};
	PGresult *r = partidx_query(e,
				    "SELECT n.nspname, c.relname FROM pg_inherits h "
				    "JOIN pg_index x ON x.indexrelid = h.inhrelid JOIN pg_class c ON c.oid = x.indexrelid "
				    "JOIN pg_namespace n ON n.oid = c.relnamespace "
				    "WHERE h.inhparent = pg_catalog.to_regclass($1) AND x.indrelid = $2::oid",
				    2, params, err, errlen);
	char *v;

	if (!r)
		return NULL;
	v = PQntuples(r) > 0 ? sql_qualified(PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1)) : xstrdup("");
	PQclear(r);
	return v;
}

/* A unique constraint on a partitioned table must hold the partition key
 * columns of every level: PostgreSQL refuses it otherwise, and would only
 * say so in switch, after every partition's index is built. */
bool
partidx_check_keys(struct engine *e, const char *top, const struct index_build *ib, char *err, size_t errlen)
{
	json_object *keys = json_object_new_array();
	const char *params[2] = {top, NULL};
	PGresult *r;
	bool ok;

	for (size_t i = 0; i < ib->keys.n; i++)
		json_object_array_add(keys, json_object_new_string(ib->keys.v[i]));
	params[1] = json_object_to_json_string_ext(keys, JSON_C_TO_STRING_PLAIN);
	r = partidx_query(e,
		  "SELECT t.relid::regclass::text, coalesce(a.attname::text, '') "
		  "FROM pg_catalog.pg_partition_tree(pg_catalog.to_regclass($1)) t "
		  "JOIN pg_partitioned_table pt ON pt.partrelid = t.relid "
		  "CROSS JOIN LATERAL pg_catalog.unnest(pt.partattrs::int2[]) AS k(attnum) "
		  "LEFT JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = k.attnum "
		  "WHERE k.attnum = 0 OR a.attname::text NOT IN (SELECT pg_catalog.json_array_elements_text($2::json)) "
		  "ORDER BY t.level LIMIT 1",
		  2, params, err, errlen);
	json_object_put(keys);
	if (!r)
		return false;
	ok = PQntuples(r) == 0;
	if (!ok) {
		if (PQgetvalue(r, 0, 1)[0])
			snprintf(err, errlen,
				 "%s %s on partitioned table %s must include every partitioning column: %s lacks column %s of the partition key of %s",
				 ib->constraint, ib->name, ib->table, ib->name, PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 0));
		else
			snprintf(err, errlen,
				 "%s %s cannot be built on %s: %s is partitioned by an expression, and PostgreSQL allows no unique constraint there",
				 ib->constraint, ib->name, ib->table, PQgetvalue(r, 0, 0));
	}
	PQclear(r);
	return ok;
}

/* A constraint of that name on the table already: built and attached. */
char *
partidx_top_constraint(struct engine *e, const char *top, const char *name, char *err, size_t errlen)
{
	const char *params[2] = {top, name};

	return partidx_value(e,
			   "SELECT k.contype FROM pg_constraint k WHERE k.conrelid = pg_catalog.to_regclass($1) AND k.conname = $2",
			   2, params, err, errlen);
}
