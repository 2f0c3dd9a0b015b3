#include "config.h"

#include <json-c/json.h>
#include <stdlib.h>

#include "pg/sql.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "pg/dollar.h"
#include "store/saved.h"
#include "compile/versioned.h"

/* The rules, as JSON the view-building DO block reads:
 * {"t": table, "c": column, "as": name}: the column under another name;
 * {"t", "c", "from": physical, "as"}: physical shown in place of column;
 * {"t", "hide": column}; {"t", "table_as": name}; {"t", "table_hide": true}. */
struct view_rules {
	json_object *rules;
};

bool
versioned_active(const struct compile_ctx *cc)
{
	return cc->plan->version_schema != NULL;
}

static void
add_rule(struct compile_ctx *cc, const char *table, const char *k1, json_object *v1, const char *k2,
	 json_object *v2, const char *k3, json_object *v3)
{
	json_object *o = json_object_new_object();

	if (!cc->views) {
		cc->views = xcalloc(1, sizeof(*cc->views));
		cc->views->rules = json_object_new_array();
	}
	json_object_object_add(o, "t", json_object_new_string(table));
	json_object_object_add(o, k1, v1);
	if (k2)
		json_object_object_add(o, k2, v2);
	if (k3)
		json_object_object_add(o, k3, v3);
	json_object_array_add(cc->views->rules, o);
}

void
view_column_as(struct compile_ctx *cc, const char *table, const char *column, const char *as)
{
	add_rule(cc, table, "c", json_object_new_string(column), "as", json_object_new_string(as), NULL, NULL);
}

void
view_column_replaced(struct compile_ctx *cc, const char *table, const char *column, const char *physical,
		     const char *as)
{
	add_rule(cc, table, "c", json_object_new_string(column), "from", json_object_new_string(physical), "as",
		 json_object_new_string(as));
}

void
view_column_hidden(struct compile_ctx *cc, const char *table, const char *column)
{
	add_rule(cc, table, "hide", json_object_new_string(column), NULL, NULL, NULL, NULL);
}

void
view_table_as(struct compile_ctx *cc, const char *table, const char *as)
{
	add_rule(cc, table, "table_as", json_object_new_string(as), NULL, NULL, NULL, NULL);
}

void
view_table_hidden(struct compile_ctx *cc, const char *table)
{
	add_rule(cc, table, "table_hide", json_object_new_boolean(1), NULL, NULL, NULL, NULL);
}

char *
versioned_writer_sql(const struct compile_ctx *cc)
{
	/* the argument of the trigger that fired: emit_sync_trigger */
	(void) cc;
	return xstrdup("TG_ARGV[0] = 'new'");
}

static const char *
base_schema(const struct compile_ctx *cc)
{
	return cc->plan->settings.schema ? cc->plan->settings.schema : "public";
}

/*
 * One view per table, view and foreign table of the base schema, with the
 * owner and grants of what it shows, security_invoker where the server
 * has it (PostgreSQL 15), so that a reader's own rights on the table
 * count; a view of one table with plain columns is updatable, so the new
 * application writes through it. pgstep's helper columns are left out.
 */
static char *
create_views_sql(const struct compile_ctx *cc)
{
	const char *rules = cc->views ? json_object_to_json_string_ext(cc->views->rules, JSON_C_TO_STRING_PLAIN) : "[]";
	char *vs = sql_literal(cc->plan->version_schema), *base = sql_literal(base_schema(cc));
	char *lrules = sql_literal(rules);
	char *body = xasprintf(
		"\nDECLARE\n"
		"  vs text := %s;\n"
		"  base text := %s;\n"
		"  rules jsonb := %s;\n"
		"  opts text := CASE WHEN current_setting('server_version_num')::int >= 150000\n"
		"                    THEN ' WITH (security_invoker = true)' ELSE '' END;\n"
		"  t record;\n"
		"  a record;\n"
		"  g record;\n"
		"  r jsonb;\n"
		"  cols text;\n"
		"  vname text;\n"
		"  rls text;\n"
		"BEGIN\n"
		/* a view without security_invoker reads as its owner: row-level
		 * security would not apply to the application reading through it */
		"  IF current_setting('server_version_num')::int < 150000 THEN\n"
		"    SELECT string_agg(c.relname, ', ' ORDER BY c.relname) INTO rls FROM pg_class c\n"
		"      JOIN pg_namespace n ON n.oid = c.relnamespace\n"
		"     WHERE n.nspname = base AND c.relkind IN ('r', 'p') AND c.relrowsecurity;\n"
		"    IF rls IS NOT NULL THEN\n"
		"      RAISE EXCEPTION 'the versioned schema %% would bypass row-level security on %% (of schema %%): "
		"PostgreSQL %% has no security_invoker views, so a view reads as its owner; run this migration on "
		"PostgreSQL 15 or later, or without a versioned schema', vs, rls, base, current_setting('server_version');\n"
		"    END IF;\n"
		"  END IF;\n"
		"  EXECUTE format('CREATE SCHEMA %%I', vs);\n"
		"  EXECUTE format('GRANT USAGE ON SCHEMA %%I TO PUBLIC', vs);\n"
		"  FOR t IN SELECT c.oid, c.relname, c.relowner, c.relacl FROM pg_class c\n"
		"           JOIN pg_namespace n ON n.oid = c.relnamespace\n"
		"           WHERE n.nspname = base AND c.relkind IN ('r', 'p', 'v', 'f') AND NOT c.relispartition\n"
		"             AND c.relname NOT LIKE '\\_pgstep\\_%%' ORDER BY c.relname LOOP\n"
		"    CONTINUE WHEN rules @> jsonb_build_array(jsonb_build_object('t', t.relname, 'table_hide', true));\n"
		"    vname := coalesce((SELECT e ->> 'table_as' FROM jsonb_array_elements(rules) e\n"
		"                       WHERE e ->> 't' = t.relname AND e ? 'table_as'), t.relname);\n"
		"    cols := NULL;\n"
		"    FOR a IN SELECT attname FROM pg_attribute\n"
		"             WHERE attrelid = t.oid AND attnum > 0 AND NOT attisdropped ORDER BY attnum LOOP\n"
		"      r := (SELECT e FROM jsonb_array_elements(rules) e WHERE e ->> 't' = t.relname\n"
		"              AND a.attname IN (e ->> 'c', e ->> 'hide', e ->> 'from')\n"
		"            ORDER BY e ->> 'from' = a.attname DESC NULLS LAST LIMIT 1);\n"
		"      IF r ? 'hide' OR r ->> 'from' = a.attname THEN\n"
		"        CONTINUE;\n"
		"      ELSIF r ? 'from' THEN\n"
		"        cols := concat_ws(', ', cols, format('%%I AS %%I', r ->> 'from', r ->> 'as'));\n"
		"      ELSIF r ? 'as' THEN\n"
		"        cols := concat_ws(', ', cols, format('%%I AS %%I', a.attname, r ->> 'as'));\n"
		"      ELSIF a.attname NOT LIKE '\\_pgstep\\_%%' THEN\n"
		"        cols := concat_ws(', ', cols, format('%%I', a.attname));\n"
		"      END IF;\n"
		"    END LOOP;\n"
		"    EXECUTE format('CREATE VIEW %%I.%%I%%s AS SELECT %%s FROM %%I.%%I', vs, vname, opts, cols, base, t.relname);\n"
		"    EXECUTE format('ALTER VIEW %%I.%%I OWNER TO %%I', vs, vname, pg_get_userbyid(t.relowner));\n"
		"    FOR g IN SELECT p.privilege_type, p.grantee, p.is_grantable FROM aclexplode(t.relacl) p\n"
		"             WHERE p.grantee <> t.relowner LOOP\n"
		"      EXECUTE format('GRANT %%s ON %%I.%%I TO %%s%%s', g.privilege_type, vs, vname,\n"
		"                     CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END,\n"
		"                     CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);\n"
		"    END LOOP;\n"
		"  END LOOP;\n"
		"END\n",
		vs, base, lrules);
	char *sql = do_block(body);

	free(body);
	free(vs);
	free(base);
	free(lrules);
	return sql;
}

void
versioned_emit_expand(struct compile_ctx *cc)
{
	const char *vs = cc->plan->version_schema;
	char *lit = sql_literal(vs), *qvs = sql_ident(vs), *m = sql_literal(cc->plan->name);
	char *save = saved_put_sql(cc->plan->name, "version_schema", lit);
	char *views = create_views_sql(cc);
	struct step *s;

	/* the plan's, not an operation's: counted with the first one (lint_ignore) */
	cc->op_index = 0;
	s = compile_emit(cc, PHASE_EXPAND, NULL,
		 xasprintf("create schema %s with a view of every table of %s, as the new version sees it", vs,
			   base_schema(cc)),
		 xasprintf("%s;\n%s", save, views),
		 xasprintf("DROP SCHEMA IF EXISTS %s CASCADE;\n"
			   "DELETE FROM pgstep.saved WHERE migration = %s AND key = 'version_schema'",
			   qvs, m));
	s->multi = true;
	free(save);
	free(views);
	free(lit);
	free(qvs);
	free(m);
}

void
versioned_emit_contract(struct compile_ctx *cc)
{
	char *m = sql_literal(cc->plan->name);
	/* Versions before this one whose migrations are done: their
	 * applications are gone once this one's contract runs. Open ones on
	 * other tables keep theirs. */
	char *body = xasprintf(
		"\nDECLARE\n"
		"  r record;\n"
		"BEGIN\n"
		"  FOR r IN SELECT s.migration, s.value FROM pgstep.saved s JOIN pgstep.migrations m ON m.name = s.migration\n"
		"           JOIN pg_namespace n ON n.nspname = s.value AND n.nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)\n"
		"           WHERE s.key = 'version_schema' AND s.migration <> %s\n"
		"             AND m.phase = 'contract' AND m.status = 'done' LOOP\n"
		"    EXECUTE format('DROP SCHEMA IF EXISTS %%I CASCADE', r.value);\n"
		"    DELETE FROM pgstep.saved WHERE migration = r.migration AND key = 'version_schema';\n"
		"  END LOOP;\n"
		"END\n",
		m);
	struct step *s;

	/* the plan's, not an operation's: counted with the first one (lint_ignore) */
	cc->op_index = 0;
	s = compile_emit(cc, PHASE_CONTRACT, NULL, xstrdup("drop the versioned schemas of the migrations before this one"),
		 do_block(body), NULL);
	s->irreversible = true;
	free(body);
	free(m);
}

void
versioned_free(struct compile_ctx *cc)
{
	if (cc->views) {
		json_object_put(cc->views->rules);
		free(cc->views);
		cc->views = NULL;
	}
}
