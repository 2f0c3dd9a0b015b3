#include "config.h"

#include <json-c/json.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/conn.h"
#include "base/sanitize.h"
#include "pg/sql.h"
#include "store/state.h"
#include "base/xalloc.h"

/* Two-key advisory locks: the first key marks them as pgstep's. */
#define LOCK_CLASS STATE_LOCK_CLASS
/* written in decimal for the SQL that overview.c pastes it into */
_Static_assert(STATE_LOCK_CLASS == 0x70677374, "STATE_LOCK_CLASS is \"pgst\"");
/* The second key of the lock that serializes starting migrations; those
 * of migrations (lock_key) are never negative. */
#define LOCK_START (-1)
/* The second key of the lock that serializes creating or upgrading schema
 * pgstep. */
#define LOCK_SCHEMA 0
/* How long a start waits for another one: that holds the lock for a
 * check and an update, milliseconds unless its pgstep hangs. */
#define START_LOCK_TIMEOUT "30s"

/* The two keys of an advisory lock of pgstep's, as query parameters. */
struct lock_keys {
	char k1[16], k2[16];
};

static struct lock_keys
lock_keys(int key2)
{
	struct lock_keys k;

	snprintf(k.k1, sizeof(k.k1), "%d", LOCK_CLASS);
	snprintf(k.k2, sizeof(k.k2), "%d", key2);
	return k;
}

static const char *const schema_v1 =
	"CREATE SCHEMA IF NOT EXISTS pgstep;\n"
	"CREATE TABLE pgstep.migrations (\n"
	"  name text PRIMARY KEY,\n"
	"  checksum text NOT NULL,\n"
	"  phase text NOT NULL DEFAULT 'pending'\n"
	"    CHECK (phase IN ('pending', 'expand', 'backfill', 'switch', 'contract')),\n"
	"  status text NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'running', 'failed', 'done')),\n"
	"  running text CHECK (running IN ('expand', 'backfill', 'switch', 'contract')),\n"
	"  rolling_back boolean NOT NULL DEFAULT false,\n"
	"  progress integer NOT NULL DEFAULT 0,\n"
	"  paused boolean NOT NULL DEFAULT false,\n"
	"  request text CHECK (request IN ('pause', 'resume')),\n"
	"  error text,\n"
	"  operator text,\n"
	"  host text,\n"
	"  plan_file text,\n"
	"  started_at timestamptz NOT NULL DEFAULT now(),\n"
	"  updated_at timestamptz NOT NULL DEFAULT now(),\n"
	"  finished_at timestamptz\n"
	");\n"
	"CREATE TABLE pgstep.steps (\n"
	"  id bigserial PRIMARY KEY,\n"
	"  migration text NOT NULL,\n"
	"  phase text NOT NULL,\n"
	"  step integer NOT NULL,\n"
	"  direction text NOT NULL CHECK (direction IN ('forward', 'rollback')),\n"
	"  summary text,\n"
	"  sql text NOT NULL,\n"
	"  attempts integer NOT NULL,\n"
	"  lock_wait_ms bigint NOT NULL,\n"
	"  duration_ms bigint NOT NULL,\n"
	"  error text,\n"
	"  at timestamptz NOT NULL DEFAULT now()\n"
	");\n"
	"CREATE INDEX ON pgstep.steps (migration, id);\n"
	"CREATE TABLE pgstep.backfill (\n"
	"  migration text NOT NULL,\n"
	"  step integer NOT NULL,\n"
	"  table_name text NOT NULL,\n"
	"  last_key text,\n"
	"  rows_done bigint NOT NULL DEFAULT 0,\n"
	"  rows_total bigint NOT NULL DEFAULT 0,\n"
	"  batch_size integer NOT NULL DEFAULT 0,\n"
	"  unconverted bigint NOT NULL DEFAULT 0,\n"
	"  copy_seconds double precision NOT NULL DEFAULT 0,\n"
	"  done boolean NOT NULL DEFAULT false,\n"
	"  updated_at timestamptz NOT NULL DEFAULT now(),\n"
	"  PRIMARY KEY (migration, step)\n"
	");\n";

/* Version 2: the tables each migration touches, for the check that two
 * open migrations never share one (NULL in rows recorded before); and
 * what a rollback must put back that the plan cannot say (a column's NOT
 * NULL, a table's replica identity), saved by the step that changes it
 * (ops/helpers.h: saved_put_sql). */
static const char *const schema_v2 =
	"ALTER TABLE pgstep.migrations ADD COLUMN tables text[];\n"
	"CREATE TABLE pgstep.saved (\n"
	"  migration text NOT NULL,\n"
	"  key text NOT NULL,\n"
	"  value text,\n"
	"  saved_at timestamptz NOT NULL DEFAULT now(),\n"
	"  PRIMARY KEY (migration, key)\n"
	");\n"
	"UPDATE pgstep.schema_version SET version = 2;\n";

/* Version 3: who wrote a pause or resume request, so that one written by
 * a role that may not run migrations is refused (state_take_request); and
 * nothing of the schema for PUBLIC, whatever default privileges say. */
static const char *const schema_v3 =
	"ALTER TABLE pgstep.migrations ADD COLUMN request_by name;\n"
	"UPDATE pgstep.schema_version SET version = 3;\n";

/* Version 4: the backfill's rate over its last second, written with each
 * batch, so that `pgstep status` run anywhere shows it beside the smoothed
 * rate (rows_done / copy_seconds) of whichever pgstep drives it. */
static const char *const schema_v4 =
	"ALTER TABLE pgstep.backfill ADD COLUMN rate_last double precision NOT NULL DEFAULT 0;\n"
	"UPDATE pgstep.schema_version SET version = 4;\n";

/* Version 5: whether the backfill is throttled now, by what, and its
 * time throttled, so that `pgstep status` anywhere shows them. */
static const char *const schema_v5 =
	"ALTER TABLE pgstep.backfill ADD COLUMN throttled text, ADD COLUMN throttled_ms bigint NOT NULL DEFAULT 0;\n"
	"UPDATE pgstep.schema_version SET version = 5;\n";

/* Version 6: requests from other terminals queue in a table of their own
 * (one slot in pgstep.migrations lost a request written right after
 * another: a `set` after a `pause`), each signed with the role that wrote
 * it, which the CHECK makes true of every row written (whoever could
 * write the table could otherwise sign as the owner); and when a
 * migration reached the switch gate (postpone_switch), kept while it
 * waits there, also over a stop. A request left in the old slot moves
 * only when the upgrading role wrote it: another's cannot be signed. */
static const char *const schema_v6 =
	"CREATE TABLE pgstep.requests (\n"
	"  id bigserial PRIMARY KEY,\n"
	"  migration text NOT NULL,\n"
	"  request text NOT NULL CHECK (request IN ('pause', 'resume', 'release', 'set')),\n"
	"  arg text,\n"
	"  request_by name NOT NULL DEFAULT current_user CHECK (request_by = current_user),\n"
	"  requested_at timestamptz NOT NULL DEFAULT now()\n"
	");\n"
	"CREATE INDEX ON pgstep.requests (migration, id);\n"
	"INSERT INTO pgstep.requests (migration, request, request_by) "
	"  SELECT name, request, request_by FROM pgstep.migrations "
	"   WHERE request IS NOT NULL AND request_by = current_user ORDER BY name;\n"
	"UPDATE pgstep.migrations SET request = NULL, request_by = NULL WHERE request IS NOT NULL;\n"
	"ALTER TABLE pgstep.migrations ADD COLUMN gate_since timestamptz;\n"
	"UPDATE pgstep.schema_version SET version = 6;\n";

/* After every creation or upgrade: the schema and all in it are its
 * owner's alone. */
static const char *const revoke_public =
	"REVOKE ALL ON SCHEMA pgstep FROM PUBLIC;\n"
	"REVOKE ALL ON ALL TABLES IN SCHEMA pgstep FROM PUBLIC;\n"
	"REVOKE ALL ON ALL SEQUENCES IN SCHEMA pgstep FROM PUBLIC;\n";

/* Roles that may run migrations, and whose pause and resume requests are
 * taken: members of the role that owns schema pgstep (superusers too). */
#define MAY_MIGRATE(role) \
	"EXISTS (SELECT 1 FROM pg_roles r, pg_namespace n WHERE r.rolname = " role \
	" AND n.nspname = 'pgstep' AND pg_has_role(r.oid, n.nspowner, 'MEMBER'))"
/* The same for a grantee of an ACL item, on schema pgstep's row n
 * (0 is PUBLIC, which may not). */
#define GRANTEE_MAY_MIGRATE(grantee) \
	"CASE WHEN " grantee " = 0 THEN false ELSE pg_has_role(" grantee ", n.nspowner, 'MEMBER') END"

static bool
exec_params(PGconn *c, const char *sql, int n, const char *const *params, PGresult **out, char *err,
	    size_t errlen)
{
	PGresult *r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	bool ok = r && (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK);

	if (!ok && err)
		conn_result_error(r, c, err, errlen);
	if (ok && out)
		*out = r;
	else
		PQclear(r);
	return ok;
}

/*
 * Whoever owns schema pgstep controls what pgstep reads there: a role that
 * created it before pgstep did could move a backfill's checkpoint past
 * rows, or plant a schema name that contract drops. It must belong to the
 * role pgstep runs as, and so must everything in it, with no trigger or
 * rule pgstep did not make. True when there is no such schema yet.
 */
/* current_user by name: a cast to regrole would read it as SQL and fold
 * "Admin" to admin */
const char *const state_owner_sql =
			 "SELECT pg_get_userbyid(n.nspowner), current_user, n.nspowner = me.oid, "
			 "  (SELECT string_agg(format('%I (%s)', c.relname, pg_get_userbyid(c.relowner)), ', ' ORDER BY c.relname) "
			 "     FROM pg_class c WHERE c.relnamespace = n.oid AND c.relowner <> me.oid), "
			 "  (SELECT string_agg(format('%s on %s', t.tgname, t.tgrelid::regclass), ', ' ORDER BY t.tgname) "
			 "     FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
			 "     WHERE c.relnamespace = n.oid AND NOT t.tgisinternal), "
			 "  (SELECT string_agg(format('%s on %s', w.rulename, w.ev_class::regclass), ', ' ORDER BY w.rulename) "
			 "     FROM pg_rewrite w JOIN pg_class c ON c.oid = w.ev_class "
			 "     WHERE c.relnamespace = n.oid AND c.relkind <> 'v'), "
			 /* who else could write what pgstep reads there */
			 "  (SELECT string_agg(DISTINCT format('%s (%s on %s)', "
			 "          CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(g.grantee) END, g.privilege_type, g.what), "
			 "        ', ') "
			 "     FROM (SELECT a.grantee, a.privilege_type, c.relname::text AS what FROM pg_class c, aclexplode(c.relacl) a "
			 "            WHERE c.relnamespace = n.oid AND a.privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER') "
			 "           UNION ALL "
			 "           SELECT a.grantee, a.privilege_type, 'schema pgstep' FROM aclexplode(n.nspacl) a "
			 "            WHERE a.privilege_type = 'CREATE') g "
			 "    WHERE NOT (" GRANTEE_MAY_MIGRATE("g.grantee") ")) "
			 "FROM pg_namespace n, pg_roles me WHERE n.nspname = 'pgstep' AND me.rolname = current_user";

bool
state_owner_result(PGresult *r, char *err, size_t errlen)
{
	bool ok = false;

	if (PQntuples(r) == 0)
		ok = true;
	else if (PQgetvalue(r, 0, 2)[0] != 't')
		snprintf(err, errlen,
			 "schema pgstep belongs to role %s, not to %s, the role pgstep runs as: its owner could change "
			 "what pgstep reads there (move a backfill's checkpoint past rows, name what contract drops); "
			 "check what is in it, then give it and its tables to %s (ALTER SCHEMA pgstep OWNER TO ...), or drop it",
			 PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 1));
	else if (!PQgetisnull(r, 0, 3))
		snprintf(err, errlen,
			 "schema pgstep holds relations that %s, the role pgstep runs as, does not own: %s; "
			 "check them, then give them to %s or drop them",
			 PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 3), PQgetvalue(r, 0, 1));
	else if (!PQgetisnull(r, 0, 4) || !PQgetisnull(r, 0, 5))
		snprintf(err, errlen,
			 "schema pgstep has %s%s%s%s%s, which pgstep never creates: someone changed how its tables "
			 "behave; check and drop them",
			 PQgetisnull(r, 0, 4) ? "" : "triggers ", PQgetisnull(r, 0, 4) ? "" : PQgetvalue(r, 0, 4),
			 !PQgetisnull(r, 0, 4) && !PQgetisnull(r, 0, 5) ? " and " : "",
			 PQgetisnull(r, 0, 5) ? "" : "rules ", PQgetisnull(r, 0, 5) ? "" : PQgetvalue(r, 0, 5));
	else if (!PQgetisnull(r, 0, 6))
		snprintf(err, errlen,
			 "roles that may not run migrations can change schema pgstep: %s; only members of %s, its owner, "
			 "may write there (what it holds decides which rows a backfill skips): revoke those rights",
			 PQgetvalue(r, 0, 6), PQgetvalue(r, 0, 0));
	else
		ok = true;
	return ok;
}

bool
state_check_owner(PGconn *c, char *err, size_t errlen)
{
	PGresult *r;
	bool ok;

	if (!exec_params(c, state_owner_sql, 0, NULL, &r, err, errlen))
		return false;
	ok = state_owner_result(r, err, errlen);
	PQclear(r);
	return ok;
}

bool
state_ensure(PGconn *c, char *err, size_t errlen)
{
	PGresult *r = NULL;
	int version = 0;
	struct lock_keys schema_lock;
	bool ok;

	if (!state_check_owner(c, err, errlen))
		return false;
	/* Fast path without locks: already at our version. */
	if (exec_params(c, "SELECT version FROM pgstep.schema_version", 0, NULL, &r, NULL, 0)) {
		if (PQntuples(r) == 1)
			version = atoi(PQgetvalue(r, 0, 0));
		PQclear(r);
		if (version == STATE_SCHEMA_VERSION)
			return true;
		if (version > STATE_SCHEMA_VERSION) {
			snprintf(err, errlen,
				 "schema pgstep is at version %d, newer than this pgstep knows (%d): upgrade pgstep",
				 version, STATE_SCHEMA_VERSION);
			return false;
		}
	}
	/* Two first runs at once: the transaction-level advisory lock makes
	 * the second wait for the first and then see its work. */
	schema_lock = lock_keys(LOCK_SCHEMA);
	if (!conn_exec(c, "BEGIN", err, errlen))
		return false;
	ok = conn_exec(c, "SET LOCAL lock_timeout = '5s'", err, errlen) &&
		exec_params(c, "SELECT pg_advisory_xact_lock($1::int, $2::int)", 2,
			    (const char *const[]) {schema_lock.k1, schema_lock.k2}, NULL, err, errlen) &&
		conn_exec(c, "CREATE SCHEMA IF NOT EXISTS pgstep", err, errlen) &&
		/* made by another role between the check above and now */
		state_check_owner(c, err, errlen) &&
		conn_exec(c, "CREATE TABLE IF NOT EXISTS pgstep.schema_version (version integer NOT NULL)", err,
			  errlen) &&
		exec_params(c, "SELECT version FROM pgstep.schema_version", 0, NULL, &r, err, errlen);
	if (ok) {
		version = PQntuples(r) == 1 ? atoi(PQgetvalue(r, 0, 0)) : 0;
		PQclear(r);
		if (version < 1)
			ok = conn_exec(c, schema_v1, err, errlen) &&
				conn_exec(c, "INSERT INTO pgstep.schema_version VALUES (1)", err, errlen);
		if (ok && version < 2)
			ok = conn_exec(c, schema_v2, err, errlen);
		if (ok && version < 3)
			ok = conn_exec(c, schema_v3, err, errlen);
		if (ok && version < 4)
			ok = conn_exec(c, schema_v4, err, errlen);
		if (ok && version < 5)
			ok = conn_exec(c, schema_v5, err, errlen);
		if (ok && version < 6)
			ok = conn_exec(c, schema_v6, err, errlen);
		/* Later versions: if (version < 7) ALTER ...; UPDATE schema_version ... */
		if (ok)
			ok = conn_exec(c, revoke_public, err, errlen);
	}
	if (!ok) {
		conn_exec(c, "ROLLBACK", NULL, 0);
		return false;
	}
	return conn_exec(c, "COMMIT", err, errlen);
}

int
state_phase_from_text(const char *s)
{
	enum phase ph;

	return s && phase_parse(s, &ph) ? (int) ph : -1;
}

const char *
state_phase_text(int ph)
{
	return ph < 0 ? "pending" : phase_name((enum phase) ph);
}

static void
copy_field(char *dst, size_t n, PGresult *r, int col)
{
	snprintf(dst, n, "%s", PQgetisnull(r, 0, col) ? "" : PQgetvalue(r, 0, col));
}

bool
state_get(PGconn *c, const char *name, struct mig_record *m, char *err, size_t errlen)
{
	const char *p[1] = {name};
	PGresult *r;

	memset(m, 0, sizeof(*m));
	m->phase_done = -1;
	m->running = -1;
	snprintf(m->name, sizeof(m->name), "%s", name);
	if (!exec_params(c,
			 "SELECT checksum, phase, status, running, rolling_back, progress, paused, error, "
			 "operator, host, plan_file, extract(epoch FROM started_at)::bigint, "
			 "extract(epoch FROM updated_at)::bigint, "
			 /* through to_jsonb: a schema before version 6 has no gate */
			 "coalesce(extract(epoch FROM (to_jsonb(m) ->> 'gate_since')::timestamptz)::bigint, 0) "
			 "FROM pgstep.migrations m WHERE name = $1",
			 1, p, &r, err, errlen))
		return false;
	if (PQntuples(r) == 1) {
		m->exists = true;
		copy_field(m->checksum, sizeof(m->checksum), r, 0);
		m->phase_done = state_phase_from_text(PQgetvalue(r, 0, 1));
		copy_field(m->status, sizeof(m->status), r, 2);
		m->running = PQgetisnull(r, 0, 3) ? -1 : state_phase_from_text(PQgetvalue(r, 0, 3));
		m->rolling_back = PQgetvalue(r, 0, 4)[0] == 't';
		m->progress = atoi(PQgetvalue(r, 0, 5));
		m->paused = PQgetvalue(r, 0, 6)[0] == 't';
		copy_field(m->error, sizeof(m->error), r, 7);
		copy_field(m->operator_, sizeof(m->operator_), r, 8);
		copy_field(m->host, sizeof(m->host), r, 9);
		copy_field(m->plan_file, sizeof(m->plan_file), r, 10);
		m->started_at = (time_t) atoll(PQgetvalue(r, 0, 11));
		m->updated_at = (time_t) atoll(PQgetvalue(r, 0, 12));
		m->gate_since = (time_t) atoll(PQgetvalue(r, 0, 13));
	} else
		snprintf(m->status, sizeof(m->status), "pending");
	PQclear(r);
	return true;
}

/* A list as a JSON array: the parameter that SQL reads back with
 * json_array_elements_text, so no array literal is written by hand. */
static char *
tables_param(const struct strlist *t)
{
	json_object *a = json_object_new_array();
	char *s;

	for (size_t i = 0; i < t->n; i++)
		json_object_array_add(a, json_object_new_string(t->v[i]));
	s = xstrdup(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(a);
	return s;
}

/* Reads array_to_json(tables) as the server wrote it. */
bool
state_tables_parse(const char *text, struct strlist *out)
{
	json_object *a = json_tokener_parse(text);

	if (!a || !json_object_is_type(a, json_type_array)) {
		json_object_put(a);
		return false;
	}
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *e = json_object_array_get_idx(a, i);

		if (json_object_is_type(e, json_type_string))
			strlist_add(out, json_object_get_string(e));
	}
	json_object_put(a);
	return true;
}

#define TABLES_FROM_PARAM(n) "ARRAY(SELECT json_array_elements_text($" #n "::json))"

bool
state_register(PGconn *c, const char *name, const char *checksum, const char *plan_file,
	       const struct strlist *tables, char *err, size_t errlen)
{
	char host[128] = "";
	const char *user = getenv("USER");
	char *tj = tables_param(tables);
	const char *p[6];
	bool ok;

	gethostname(host, sizeof(host) - 1);
	p[0] = name;
	p[1] = checksum;
	p[2] = user ? user : "";
	p[3] = host;
	p[4] = plan_file;
	p[5] = tj;
	ok = exec_params(c,
			 "INSERT INTO pgstep.migrations (name, checksum, operator, host, plan_file, tables) "
			 "VALUES ($1, $2, $3, $4, $5, " TABLES_FROM_PARAM(6) ") ON CONFLICT (name) DO NOTHING",
			 6, p, NULL, err, errlen);
	free(tj);
	return ok;
}

bool
state_set_tables(PGconn *c, const char *name, const struct strlist *tables, bool replace, char *err,
		 size_t errlen)
{
	char *tj = tables_param(tables);
	const char *p[2] = {name, tj};
	bool ok;

	ok = exec_params(c,
			 replace ? "UPDATE pgstep.migrations SET tables = " TABLES_FROM_PARAM(2) " WHERE name = $1"
			 : "UPDATE pgstep.migrations SET tables = " TABLES_FROM_PARAM(2)
			   " WHERE name = $1 AND tables IS NULL",
			 2, p, NULL, err, errlen);
	free(tj);
	return ok;
}

bool
state_get_saved(PGconn *c, const char *name, const char *key, char **value, char *err, size_t errlen)
{
	const char *p[2] = {name, key};
	PGresult *r;

	*value = NULL;
	if (!exec_params(c, "SELECT value FROM pgstep.saved WHERE migration = $1 AND key = $2", 2, p, &r, err, errlen))
		return false;
	if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
		*value = xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return true;
}

bool
state_put_saved(PGconn *c, const char *name, const char *key, const char *value, char *err, size_t errlen)
{
	const char *p[3] = {name, key, value};

	return exec_params(c,
			   "INSERT INTO pgstep.saved (migration, key, value) VALUES ($1, $2, $3) "
			   "ON CONFLICT (migration, key) DO UPDATE SET value = EXCLUDED.value, saved_at = now()",
			   3, p, NULL, err, errlen);
}

bool
state_forget_saved(PGconn *c, const char *name, const char *key, char *err, size_t errlen)
{
	const char *p[2] = {name, key};

	return exec_params(c, "DELETE FROM pgstep.saved WHERE migration = $1 AND key = $2", 2, p, NULL, err, errlen);
}

bool
state_get_version_schema(PGconn *c, const char *name, char *out, size_t outlen, char *err, size_t errlen)
{
	const char *p[1] = {name};
	PGresult *r = PQexecParams(c,
				   "SELECT s.value FROM pgstep.saved s JOIN pg_namespace n ON n.nspname = s.value "
				   "WHERE s.migration = $1 AND s.key = 'version_schema'",
				   1, NULL, p, NULL, NULL, 0);
	const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	bool ok = true;

	out[0] = '\0';
	if (PQresultStatus(r) == PGRES_TUPLES_OK) {
		if (PQntuples(r) == 1)
			snprintf(out, outlen, "%s", PQgetvalue(r, 0, 0));
	} else if (!st || strcmp(st, "42P01") != 0) {
		conn_result_error(r, c, err, errlen);
		ok = false;
	}
	/* 42P01: a schema of version 1 (no pgstep.saved), read by a command
	 * that upgrades nothing */
	PQclear(r);
	return ok;
}

bool
state_get_tables(PGconn *c, const char *name, struct strlist *out, bool *known, char *err, size_t errlen)
{
	const char *p[1] = {name};
	PGresult *r = PQexecParams(c, "SELECT array_to_json(tables)::text FROM pgstep.migrations WHERE name = $1",
				   1, NULL, p, NULL, NULL, 0);
	const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	bool ok = true;

	*known = false;
	if (PQresultStatus(r) == PGRES_TUPLES_OK) {
		if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)) {
			*known = state_tables_parse(PQgetvalue(r, 0, 0), out);
			if (!*known) {
				snprintf(err, errlen, "pgstep.migrations.tables of %s is not a list of names", name);
				ok = false;
			}
		}
	} else if (!st || strcmp(st, "42703") != 0) {
		conn_result_error(r, c, err, errlen);
		ok = false;
	}
	/* 42703: a schema of version 1, read by a command that upgrades nothing */
	PQclear(r);
	return ok;
}

bool
state_start_begin(PGconn *c, char *err, size_t errlen)
{
	struct lock_keys k = lock_keys(LOCK_START);
	char why[512];
	const char *p[2] = {k.k1, k.k2};

	if (!conn_exec(c, "BEGIN", err, errlen))
		return false;
	if (!conn_exec(c, "SET LOCAL lock_timeout = '" START_LOCK_TIMEOUT "'", err, errlen)) {
		state_abort(c);
		return false;
	}
	if (!exec_params(c, "SELECT pg_advisory_xact_lock($1::int, $2::int)", 2, p, NULL, why, sizeof(why))) {
		snprintf(err, errlen, "waiting for another pgstep that is starting a migration: %s", why);
		state_abort(c);
		return false;
	}
	return true;
}

bool
state_commit(PGconn *c, char *err, size_t errlen)
{
	return conn_exec(c, "COMMIT", err, errlen);
}

void
state_abort(PGconn *c)
{
	conn_exec(c, "ROLLBACK", NULL, 0);
}

bool
state_open_migrations(PGconn *c, const char *except, struct open_migs *out, char *err, size_t errlen)
{
	const char *p[1] = {except};
	PGresult *r;

	memset(out, 0, sizeof(*out));
	if (!exec_params(c,
			 "SELECT name, phase, status, running, rolling_back, checksum, plan_file, "
			 "array_to_json(tables)::text FROM pgstep.migrations "
			 "WHERE name <> $1 AND status <> 'done' AND (phase <> 'pending' OR running IS NOT NULL) "
			 "ORDER BY name",
			 1, p, &r, err, errlen))
		return false;
	out->n = (size_t) PQntuples(r);
	out->v = xcalloc(out->n ? out->n : 1, sizeof(*out->v));
	for (size_t i = 0; i < out->n; i++) {
		struct open_mig *o = &out->v[i];
		int row = (int) i;

		snprintf(o->name, sizeof(o->name), "%s", PQgetvalue(r, row, 0));
		o->phase_done = state_phase_from_text(PQgetvalue(r, row, 1));
		snprintf(o->status, sizeof(o->status), "%s", PQgetvalue(r, row, 2));
		o->running = PQgetisnull(r, row, 3) ? -1 : state_phase_from_text(PQgetvalue(r, row, 3));
		o->rolling_back = PQgetvalue(r, row, 4)[0] == 't';
		snprintf(o->checksum, sizeof(o->checksum), "%s", PQgetvalue(r, row, 5));
		snprintf(o->plan_file, sizeof(o->plan_file), "%s", PQgetisnull(r, row, 6) ? "" : PQgetvalue(r, row, 6));
		o->tables_known = !PQgetisnull(r, row, 7) && state_tables_parse(PQgetvalue(r, row, 7), &o->tables);
	}
	PQclear(r);
	for (size_t i = 0; i < out->n; i++) {
		char holder[512];
		bool stopped;

		if (out->v[i].running < 0)
			continue;
		if (!state_who_runs(c, out->v[i].name, holder, sizeof(holder), &stopped, err, errlen)) {
			state_open_migs_free(out);
			return false;
		}
		/* one that finished meanwhile was held when read */
		out->v[i].held = !stopped;
	}
	return true;
}

bool
state_who_runs(PGconn *c, const char *name, char *holder, size_t holderlen, bool *stopped, char *err,
	       size_t errlen)
{
	PGresult *r;

	*stopped = false;
	if (!state_holder(c, name, holder, holderlen, err, errlen))
		return false;
	if (holder[0])
		return true;
	/* A pgstep sets `running` after it takes the lock and clears it
	 * before it lets go: read again, after the lock, to tell one that
	 * died from one that just finished. */
	if (!exec_params(c, "SELECT 1 FROM pgstep.migrations WHERE name = $1 AND running IS NOT NULL", 1,
			 (const char *const[]) {name}, &r, err, errlen))
		return false;
	*stopped = PQntuples(r) == 1;
	PQclear(r);
	return true;
}

void
state_open_migs_free(struct open_migs *l)
{
	for (size_t i = 0; i < l->n; i++)
		strlist_free(&l->v[i].tables);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

bool
state_restart(PGconn *c, const char *name, const char *checksum, const char *plan_file, char *err, size_t errlen)
{
	const char *p[3] = {name, checksum, plan_file};

	return exec_params(c,
			   "UPDATE pgstep.migrations SET checksum = $2, plan_file = $3, error = NULL, updated_at = now() "
			   "WHERE name = $1 AND phase = 'pending' AND running IS NULL",
			   3, p, NULL, err, errlen);
}

bool
state_begin_phase(PGconn *c, const char *name, enum phase ph, bool rollback, char *err, size_t errlen)
{
	const char *p[3] = {name, phase_name(ph), rollback ? "true" : "false"};

	return exec_params(c,
			   "UPDATE pgstep.migrations SET running = $2, rolling_back = $3, progress = 0, "
			   "status = 'running', error = NULL, gate_since = NULL, updated_at = now() WHERE name = $1",
			   3, p, NULL, err, errlen);
}

char *
state_progress_sql(const char *name, int progress)
{
	char *lit = sql_literal(name);
	/* it runs inside a step's transaction, on the step's search_path */
	char *s = xasprintf("UPDATE pgstep.migrations SET progress = %d, updated_at = pg_catalog.now() WHERE name = %s",
			    progress, lit);

	free(lit);
	return s;
}

bool
state_set_progress(PGconn *c, const char *name, int progress, char *err, size_t errlen)
{
	char *sql = state_progress_sql(name, progress);
	bool ok = conn_exec(c, sql, err, errlen);

	free(sql);
	return ok;
}

bool
state_end_phase(PGconn *c, const char *name, int phase_done, char *err, size_t errlen)
{
	const char *p[3] = {name, state_phase_text(phase_done), phase_done == PHASE_CONTRACT ? "done" : "ok"};

	return exec_params(c,
			   "UPDATE pgstep.migrations SET phase = $2, status = $3, running = NULL, "
			   "rolling_back = false, progress = 0, error = NULL, updated_at = now(), "
			   "finished_at = CASE WHEN $3 = 'done' THEN now() END WHERE name = $1",
			   3, p, NULL, err, errlen);
}

bool
state_fail(PGconn *c, const char *name, const char *error, bool rolled_back, char *err, size_t errlen)
{
	/* recorded sanitized: whoever reads the column prints it */
	char *clean = sanitize(error);
	const char *p[2] = {name, clean};
	bool ok;

	/* Undone: the migration is back where the phase began. Not undone:
	 * running/rolling_back/progress stay, so status shows what is half done. */
	if (rolled_back)
		ok = exec_params(c,
				 "UPDATE pgstep.migrations SET status = 'failed', error = $2, running = NULL, "
				 "rolling_back = false, progress = 0, updated_at = now() WHERE name = $1",
				 2, p, NULL, err, errlen);
	else
		ok = exec_params(c,
				 "UPDATE pgstep.migrations SET status = 'failed', error = $2, updated_at = now() "
				 "WHERE name = $1",
				 2, p, NULL, err, errlen);
	free(clean);
	return ok;
}

bool
state_set_paused(PGconn *c, const char *name, bool paused, char *err, size_t errlen)
{
	const char *p[2] = {name, paused ? "true" : "false"};

	return exec_params(c, "UPDATE pgstep.migrations SET paused = $2, updated_at = now() WHERE name = $1", 2,
			   p, NULL, err, errlen);
}

bool
state_take_request(PGconn *c, const char *name, struct request *rq, char *refused, size_t refusedlen, char *err,
		   size_t errlen)
{
	const char *p[1] = {name};
	PGresult *r;

	memset(rq, 0, sizeof(*rq));
	refused[0] = '\0';
	if (!exec_params(c,
			 "DELETE FROM pgstep.requests WHERE id = (SELECT id FROM pgstep.requests WHERE migration = $1 "
			 "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) "
			 "RETURNING request, coalesce(arg, ''), coalesce(request_by::text, ''), " MAY_MIGRATE("request_by"),
			 1, p, &r, err, errlen))
		return false;
	if (PQntuples(r) == 1) {
		rq->taken = true;
		snprintf(rq->by, sizeof(rq->by), "%s", PQgetvalue(r, 0, 2));
		if (PQgetvalue(r, 0, 3)[0] == 't') {
			snprintf(rq->kind, sizeof(rq->kind), "%s", PQgetvalue(r, 0, 0));
			snprintf(rq->arg, sizeof(rq->arg), "%s", PQgetvalue(r, 0, 1));
		} else
			snprintf(refused, refusedlen,
				 "the %s%s%s request written by %s%s is refused: only a member of the role that owns "
				 "schema pgstep may pause, resume, release or set a migration",
				 PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1)[0] ? " " : "", PQgetvalue(r, 0, 1),
				 PQgetvalue(r, 0, 2)[0] ? "role " : "an unknown role", PQgetvalue(r, 0, 2));
	}
	PQclear(r);
	return true;
}

bool
state_request(PGconn *c, const char *name, const char *req, const char *arg, char *err, size_t errlen)
{
	const char *p[3] = {name, req, arg};
	PGresult *r;
	bool found;

	if (!exec_params(c,
			 "INSERT INTO pgstep.requests (migration, request, arg, request_by) "
			 "SELECT $1, $2, $3, current_user WHERE EXISTS (SELECT 1 FROM pgstep.migrations WHERE name = $1) "
			 "RETURNING 1",
			 3, p, &r, err, errlen))
		return false;
	found = PQntuples(r) == 1;
	PQclear(r);
	if (!found)
		snprintf(err, errlen, "migration %s has not been started", name);
	return found;
}

bool
state_gate_enter(PGconn *c, const char *name, time_t *since, char *err, size_t errlen)
{
	const char *p[1] = {name};
	PGresult *r;

	*since = 0;
	if (!exec_params(c,
			 "UPDATE pgstep.migrations SET gate_since = coalesce(gate_since, now()) WHERE name = $1 "
			 "RETURNING extract(epoch FROM gate_since)::bigint",
			 1, p, &r, err, errlen))
		return false;
	if (PQntuples(r) == 1)
		*since = (time_t) atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return true;
}

bool
state_log_step(PGconn *c, const char *name, enum phase ph, int step, bool rollback, const char *summary,
	       const char *sql, int attempts, int64_t lock_wait_ms, int64_t duration_ms, const char *error)
{
	char s_step[16], s_att[16], s_wait[32], s_dur[32], *clean;
	const char *p[10];
	bool ok;

	snprintf(s_step, sizeof(s_step), "%d", step);
	snprintf(s_att, sizeof(s_att), "%d", attempts);
	snprintf(s_wait, sizeof(s_wait), "%lld", (long long) lock_wait_ms);
	snprintf(s_dur, sizeof(s_dur), "%lld", (long long) duration_ms);
	p[0] = name;
	p[1] = phase_name(ph);
	p[2] = s_step;
	p[3] = rollback ? "rollback" : "forward";
	p[4] = summary;
	p[5] = sql;
	p[6] = s_att;
	p[7] = s_wait;
	p[8] = s_dur;
	/* recorded sanitized: whoever reads the column prints it */
	clean = error ? sanitize(error) : NULL;
	p[9] = clean;
	ok = exec_params(c,
			 "INSERT INTO pgstep.steps (migration, phase, step, direction, summary, sql, attempts, "
			 "lock_wait_ms, duration_ms, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
			 10, p, NULL, NULL, 0);
	free(clean);
	return ok;
}

bool
state_checkpoint_get(PGconn *c, const char *name, int step, struct checkpoint *cp, char *err, size_t errlen)
{
	char s_step[16];
	const char *p[2] = {name, s_step};
	PGresult *r;

	memset(cp, 0, sizeof(*cp));
	cp->last_key = xstrdup("");
	snprintf(s_step, sizeof(s_step), "%d", step);
	if (!exec_params(c,
			 "SELECT last_key, rows_done, rows_total, unconverted, copy_seconds, done "
			 "FROM pgstep.backfill WHERE migration = $1 AND step = $2",
			 2, p, &r, err, errlen))
		return false;
	if (PQntuples(r) == 1) {
		cp->exists = true;
		cp->has_last_key = !PQgetisnull(r, 0, 0);
		if (cp->has_last_key) {
			free(cp->last_key);
			cp->last_key = xstrdup(PQgetvalue(r, 0, 0));
		}
		cp->rows_done = atoll(PQgetvalue(r, 0, 1));
		cp->rows_total = atoll(PQgetvalue(r, 0, 2));
		cp->unconverted = atoll(PQgetvalue(r, 0, 3));
		cp->copy_seconds = atof(PQgetvalue(r, 0, 4));
		cp->done = PQgetvalue(r, 0, 5)[0] == 't';
	}
	PQclear(r);
	return true;
}

void
state_checkpoint_free(struct checkpoint *cp)
{
	free(cp->last_key);
	cp->last_key = NULL;
}

const char *const state_checkpoint_sql =
	"INSERT INTO pgstep.backfill AS b (migration, step, table_name, last_key, rows_done, rows_total, "
	"batch_size, unconverted, copy_seconds, rate_last) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
	"ON CONFLICT (migration, step) DO UPDATE SET last_key = excluded.last_key, "
	"rows_done = b.rows_done + excluded.rows_done, rows_total = excluded.rows_total, "
	"batch_size = excluded.batch_size, unconverted = b.unconverted + excluded.unconverted, "
	"copy_seconds = b.copy_seconds + excluded.copy_seconds, rate_last = excluded.rate_last, "
	"updated_at = pg_catalog.now()";

bool
state_checkpoint_done(PGconn *c, const char *name, int step, char *err, size_t errlen)
{
	char s_step[16];
	const char *p[2] = {name, s_step};

	snprintf(s_step, sizeof(s_step), "%d", step);
	return exec_params(c, "UPDATE pgstep.backfill SET done = true WHERE migration = $1 AND step = $2", 2, p,
			   NULL, err, errlen);
}

bool
state_checkpoint_throttle(PGconn *c, const char *name, int step, const char *table, const char *signal,
			  int64_t throttled_ms, char *err, size_t errlen)
{
	char s_step[16], s_ms[32];
	const char *p[5] = {name, s_step, table, signal, s_ms};

	snprintf(s_step, sizeof(s_step), "%d", step);
	snprintf(s_ms, sizeof(s_ms), "%lld", (long long) throttled_ms);
	/* Throttled before its first batch, the backfill has no row yet. */
	return exec_params(c,
			   "INSERT INTO pgstep.backfill AS b (migration, step, table_name, throttled, throttled_ms) "
			   "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (migration, step) DO UPDATE SET "
			   "throttled = excluded.throttled, throttled_ms = excluded.throttled_ms",
			   5, p, NULL, err, errlen);
}

bool
state_checkpoint_reset(PGconn *c, const char *name, char *err, size_t errlen)
{
	const char *p[1] = {name};

	return exec_params(c, "DELETE FROM pgstep.backfill WHERE migration = $1", 1, p, NULL, err, errlen);
}

/* The second key of a migration's advisory lock; STATE_LOCK_KEY_SQL is
 * the same in SQL. */
static int
lock_key(const char *name)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_Digest(name, strlen(name), md, &n, EVP_sha256(), NULL);
	return (int) (((unsigned) md[0] << 24 | (unsigned) md[1] << 16 | (unsigned) md[2] << 8 | md[3]) &
		      0x7fffffffu);
}

/* Who holds the lock; *operator_ (may be NULL) says whether it is a
 * pgstep (application_name "pgstep:...", which any role can set) of a role
 * that may run migrations: a member of the role that owns schema pgstep.
 * Anything else holding pgstep's keys blocks migrations without being an
 * operator, and the text says so and how to end it. */
static bool
holder_of(PGconn *c, const char *name, char *holder, size_t holderlen, bool *operator_, char *err,
	  size_t errlen)
{
	struct lock_keys k = lock_keys(lock_key(name));
	PGresult *r;

	holder[0] = '\0';
	if (operator_)
		*operator_ = false;
	if (!exec_params(c,
			 "SELECT l.pid, a.application_name, coalesce(host(a.client_addr), a.client_hostname, 'local socket'), "
			 "nullif(m.operator, ''), nullif(m.host, ''), coalesce(a.usename::text, '(unknown)'), "
			 "coalesce(pg_catalog.starts_with(a.application_name, 'pgstep:') "
			 "         AND pg_catalog.pg_has_role(a.usesysid, n.nspowner, 'MEMBER'), false) "
			 "FROM pg_locks l "
			 "LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
			 "LEFT JOIN pgstep.migrations m ON m.name = $3 "
			 "LEFT JOIN pg_namespace n ON n.nspname = 'pgstep' "
			 "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::int::oid "
			 "AND l.objid = $2::int::oid AND l.objsubid = 2",
			 3, (const char *const[]) {k.k1, k.k2, name}, &r, err, errlen))
		return false;
	if (PQntuples(r) > 0) {
		bool is_operator = PQgetvalue(r, 0, 6)[0] == 't';

		if (operator_)
			*operator_ = is_operator;
		state_holder_text(PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2),
				  PQgetisnull(r, 0, 3) ? NULL : PQgetvalue(r, 0, 3),
				  PQgetisnull(r, 0, 4) ? NULL : PQgetvalue(r, 0, 4), PQgetvalue(r, 0, 5), is_operator, holder,
				  holderlen);
	}
	PQclear(r);
	return true;
}

void
state_holder_text(const char *pid, const char *app, const char *client, const char *op, const char *host,
		  const char *role, bool is_operator, char *holder, size_t holderlen)
{
	if (is_operator)
		snprintf(holder, holderlen, "pid %s (%s) of role %s from %s%s%s%s%s", pid, app, role, client,
			 op ? ", started by " : host ? ", started on " : "", op ? op : "", op && host ? "@" : "",
			 host ? host : "");
	else
		/* who started the migration says nothing of this session */
		snprintf(holder, holderlen,
			 "pid %s (%s) of role %s from %s, which is not a pgstep of a role that may run migrations: "
			 "it is not an operator; end it with pg_terminate_backend(%s)",
			 pid, app, role, client, pid);
}

bool
state_lock(PGconn *c, const char *name, bool *got, char *holder, size_t holderlen, bool *operator_, char *err,
	   size_t errlen)
{
	struct lock_keys k = lock_keys(lock_key(name));
	const char *p[2] = {k.k1, k.k2};
	PGresult *r;

	holder[0] = '\0';
	if (operator_)
		*operator_ = false;
	if (!exec_params(c, "SELECT pg_try_advisory_lock($1::int, $2::int)", 2, p, &r, err, errlen))
		return false;
	*got = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	if (*got)
		return true;
	if (!holder_of(c, name, holder, holderlen, operator_, err, errlen))
		return false;
	if (!holder[0]) {
		snprintf(holder, holderlen, "another session (it has just let go; try again)");
		if (operator_)
			*operator_ = true;
	}
	return true;
}

bool
state_holder(PGconn *c, const char *name, char *holder, size_t holderlen, char *err, size_t errlen)
{
	return holder_of(c, name, holder, holderlen, NULL, err, errlen);
}

void
state_unlock(PGconn *c, const char *name)
{
	struct lock_keys k = lock_keys(lock_key(name));
	const char *p[2] = {k.k1, k.k2};

	exec_params(c, "SELECT pg_advisory_unlock($1::int, $2::int)", 2, p, NULL, NULL, 0);
}
