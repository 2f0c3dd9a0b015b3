#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pg/carry_sql.h"
#include "pg/dollar.h"
#include "pg/sql.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "column.h"
#include "constraint.h"
#include "helpers.h"
#include "compile/versioned.h"

char *
ops_row_expr(const char *expr)
{
	/* NEW.* becomes a one-row relation whose columns the expression can
	 * name directly, exactly as in the backfill's UPDATE. */
	return xasprintf("(SELECT (%s) FROM (SELECT NEW.*) AS _pgstep_row)", expr);
}

char *
alter_table(const struct compile_ctx *cc, const char *table, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	char *t = plan_qualified(cc->plan, table);
	va_list ap;

	sb_printf(&sb, "ALTER TABLE %s ", t);
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	free(t);
	return sb_steal(&sb);
}

/* The four steps of a helper trigger: function and trigger created in ph
 * (undone by their drops), dropped in drop_in unless it is N_PHASES
 * (undone by the creates). A function whose body holds the plan's SQL is
 * created on the plan's search_path (its types are resolved then), and so
 * is the drop that a rollback undoes by creating it. Takes ownership of
 * the four statements. */
static void
emit_trigger_steps(struct compile_ctx *cc, enum phase ph, enum phase drop_in, const char *table,
		   const char *name, const char *what, bool plan_sql, char *create_fn, char *create_trg,
		   char *drop_fn, char *drop_trg)
{
	struct step *(*fn_step)(struct compile_ctx *, enum phase, const char *, char *, char *, char *) =
		plan_sql ? emit_plan_sql : compile_emit;

	fn_step(cc, ph, NULL, xasprintf("create function %s (%s)", name, what), xstrdup(create_fn),
		xstrdup(drop_fn));
	compile_emit(cc, ph, table, xasprintf("create trigger %s on %s", name, table), xstrdup(create_trg),
	     xstrdup(drop_trg));
	if (drop_in != N_PHASES) {
		compile_emit(cc, drop_in, table, xasprintf("drop trigger %s on %s", name, table), xstrdup(drop_trg),
		     xstrdup(create_trg));
		fn_step(cc, drop_in, NULL, xasprintf("drop function %s", name), xstrdup(drop_fn),
			xstrdup(create_fn));
	}
	free(create_fn);
	free(create_trg);
	free(drop_fn);
	free(drop_trg);
}

static char *function_sql(const struct compile_ctx *cc, const char *name, const char *body, const char *ret,
			  const char *path, bool definer);
static void emit_sync_trigger_drop(struct compile_ctx *cc, enum phase ph, const char *table, const char *name,
				   const char *events, const char *body);

/* A sync trigger's function: it evaluates the plan's expressions, so it
 * runs on the plan's search_path, whoever writes the row. */
static char *
sync_function_sql(const struct compile_ctx *cc, const char *name, const char *body)
{
	char *path = plan_function_path(cc->plan);
	char *sql = function_sql(cc, name, body, "NEW", path, false);

	free(path);
	return sql;
}

static char *
sync_trigger_sql(const struct compile_ctx *cc, const char *table, const char *name, const char *events)
{
	char *tg = sql_ident(name), *fn = plan_qualified(cc->plan, name), *t = plan_qualified(cc->plan, table);
	char *sql = xasprintf(
		"CREATE TRIGGER %s BEFORE %s ON %s FOR EACH ROW "
		"WHEN (pg_catalog.current_setting('" BACKFILL_GUC "', true) IS DISTINCT FROM 'on') "
		"EXECUTE FUNCTION %s()",
		tg, events, t, fn);

	free(tg);
	free(fn);
	free(t);
	return sql;
}

/*
 * With a versioned schema, one trigger for each version, on one function.
 * Which version writes is the first schema on the writer's search_path,
 * read in the WHEN clause, before the function runs: the function runs on
 * the plan's own search_path (sync_function_sql), so that up and down
 * resolve what they name as in the backfill, whatever the writer's path
 * (the new version's may hold only its versioned schema). The function
 * learns the version from its argument (versioned_writer_sql).
 */
static char *
versioned_trigger_name(const char *name)
{
	char *n = xasprintf("%s_new", name);

	if (strlen(n) > 63) {
		free(n);
		n = sql_helper_name(name, NULL, "new");
	}
	return n;
}

static char *
versioned_triggers_sql(const struct compile_ctx *cc, const char *table, const char *name, const char *events)
{
	char *tg = sql_ident(name), *fn = plan_qualified(cc->plan, name), *t = plan_qualified(cc->plan, table);
	char *vn = versioned_trigger_name(name), *qvn = sql_ident(vn);
	char *vs = sql_literal(cc->plan->version_schema);
	char *sql = xasprintf(
		"CREATE TRIGGER %s BEFORE %s ON %s FOR EACH ROW "
		"WHEN (pg_catalog.current_setting('" BACKFILL_GUC "', true) IS DISTINCT FROM 'on' "
		"AND (pg_catalog.current_schemas(false))[1] IS DISTINCT FROM %s) "
		"EXECUTE FUNCTION %s('old');\n"
		"CREATE TRIGGER %s BEFORE %s ON %s FOR EACH ROW "
		"WHEN (pg_catalog.current_setting('" BACKFILL_GUC "', true) IS DISTINCT FROM 'on' "
		"AND (pg_catalog.current_schemas(false))[1] = %s) "
		"EXECUTE FUNCTION %s('new')",
		tg, events, t, vs, fn, qvn, events, t, vs, fn);

	free(tg);
	free(fn);
	free(t);
	free(vn);
	free(qvn);
	free(vs);
	return sql;
}

static char *
versioned_drop_triggers_sql(const struct compile_ctx *cc, const char *table, const char *name)
{
	char *vn = versioned_trigger_name(name);
	char *a = drop_trigger_sql(cc, table, name), *b = drop_trigger_sql(cc, table, vn);
	char *sql = xasprintf("%s;\n%s", a, b);

	free(vn);
	free(a);
	free(b);
	return sql;
}

char *
sync_triggers_drop_sql(const struct compile_ctx *cc, const char *table, const char *name)
{
	return versioned_active(cc) ? versioned_drop_triggers_sql(cc, table, name) : drop_trigger_sql(cc, table, name);
}

void
emit_sync_trigger(struct compile_ctx *cc, enum phase ph, enum phase drop_in, const char *table,
		  const char *name, const char *events, const char *body, const char *what)
{
	if (versioned_active(cc)) {
		struct step *s;

		emit_plan_sql(cc, ph, NULL, xasprintf("create function %s (%s)", name, what),
			      sync_function_sql(cc, name, body), drop_function_sql(cc, name));
		s = compile_emit(cc, ph, table, xasprintf("create triggers %s for each version on %s", name, table),
			 versioned_triggers_sql(cc, table, name, events), versioned_drop_triggers_sql(cc, table, name));
		s->multi = true;
	} else
		emit_trigger_steps(cc, ph, N_PHASES, table, name, what, true, sync_function_sql(cc, name, body),
				   sync_trigger_sql(cc, table, name, events), drop_function_sql(cc, name),
				   drop_trigger_sql(cc, table, name));
	if (drop_in != N_PHASES)
		emit_sync_trigger_drop(cc, drop_in, table, name, events, body);
}

static void
emit_sync_trigger_drop(struct compile_ctx *cc, enum phase ph, const char *table, const char *name,
		       const char *events, const char *body)
{
	struct step *s;

	if (versioned_active(cc)) {
		s = compile_emit(cc, ph, table, xasprintf("drop triggers %s on %s", name, table),
			 versioned_drop_triggers_sql(cc, table, name), versioned_triggers_sql(cc, table, name, events));
		s->multi = true;
		emit_plan_sql(cc, ph, NULL, xasprintf("drop function %s", name), drop_function_sql(cc, name),
			      sync_function_sql(cc, name, body));
		return;
	}
	compile_emit(cc, ph, table, xasprintf("drop trigger %s on %s", name, table), drop_trigger_sql(cc, table, name),
	     sync_trigger_sql(cc, table, name, events));
	emit_plan_sql(cc, ph, NULL, xasprintf("drop function %s", name), drop_function_sql(cc, name),
		      sync_function_sql(cc, name, body));
}

/* Every function pgstep creates pins its search_path (`path`, pg_temp
 * last), whoever calls it. OR REPLACE: a helper left behind by a dropped
 * table (its trigger went with it, the function did not) must not block
 * the migration; one of another owner makes the step fail, as it must. */
static char *
function_sql(const struct compile_ctx *cc, const char *name, const char *body, const char *ret, const char *path,
	     bool definer)
{
	char *fn = plan_qualified(cc->plan, name);
	char *full = xasprintf("\n#variable_conflict use_variable\nBEGIN\n%s  RETURN %s;\nEND\n", body, ret);
	char *q = dollar_quote(full);
	char *sql = xasprintf("CREATE OR REPLACE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql%s SET search_path = %s AS %s",
			      fn, definer ? " SECURITY DEFINER" : "", path, q);

	free(q);
	free(full);
	free(fn);
	return sql;
}

char *
trigger_function_sql(const struct compile_ctx *cc, const char *name, const char *body, const char *ret)
{
	char *path = plan_function_path(cc->plan);
	char *sql = function_sql(cc, name, body, ret, path, false);

	free(path);
	return sql;
}

char *
mirror_function_sql(const struct compile_ctx *cc, const char *name, const char *body)
{
	/* SECURITY DEFINER, so the body must not depend on any path: it names
	 * every relation with its schema and runs with pg_catalog and pg_temp
	 * (last) only, so no temporary table or function of the writer's can
	 * stand in for what it writes to. */
	return function_sql(cc, name, body, "NULL", SQL_INTERNAL_PATH, true);
}

char *
after_trigger_sql(const struct compile_ctx *cc, const char *table, const char *name, const char *events)
{
	char *tg = sql_ident(name), *fn = plan_qualified(cc->plan, name), *t = plan_qualified(cc->plan, table);
	char *sql = xasprintf("CREATE TRIGGER %s AFTER %s ON %s FOR EACH ROW EXECUTE FUNCTION %s()",
			      tg, events, t, fn);

	free(tg);
	free(fn);
	free(t);
	return sql;
}

char *
drop_trigger_sql(const struct compile_ctx *cc, const char *table, const char *name)
{
	char *tg = sql_ident(name), *t = plan_qualified(cc->plan, table);
	char *sql = xasprintf("DROP TRIGGER IF EXISTS %s ON %s", tg, t);

	free(tg);
	free(t);
	return sql;
}

char *
drop_function_sql(const struct compile_ctx *cc, const char *name)
{
	char *fn = plan_qualified(cc->plan, name);
	char *sql = xasprintf("DROP FUNCTION IF EXISTS %s()", fn);

	free(fn);
	return sql;
}

void
emit_mirror_trigger(struct compile_ctx *cc, enum phase ph, enum phase drop_in, const char *table,
		    const char *name, const char *events, const char *body, const char *what)
{
	char *create_fn = mirror_function_sql(cc, name, body);
	char *create_trg = after_trigger_sql(cc, table, name, events);
	char *drop_fn = drop_function_sql(cc, name);
	char *drop_trg = drop_trigger_sql(cc, table, name);

	emit_trigger_steps(cc, ph, drop_in, table, name, what, false, create_fn, create_trg, drop_fn, drop_trg);
}

char *
copy_access_sql(const struct compile_ctx *cc, const char *from, const char *to)
{
	char *qf = plan_qualified(cc->plan, from), *qt = plan_qualified(cc->plan, to);
	char *lf = sql_literal(qf), *lt = sql_literal(qt);
	/*
	 * relacl is NULL while nothing was ever granted: the owner then has
	 * every privilege implicitly, which is why the owner moves too. A
	 * partitioned table's partitions follow its owner, for maintenance
	 * done as that role; queries through the parent check only the parent.
	 */
	char *body = xasprintf(
		"\nDECLARE\n"
		"  src regclass := %s::regclass;\n"
		"  dst regclass := %s::regclass;\n"
		"  owner name := (SELECT pg_catalog.pg_get_userbyid(relowner) FROM pg_catalog.pg_class WHERE oid = src);\n"
		"  r record;\n"
		"BEGIN\n"
		"  FOR r IN SELECT dst AS rel UNION ALL\n"
		"           SELECT inhrelid::regclass FROM pg_catalog.pg_inherits WHERE inhparent = dst LOOP\n"
		"    IF (SELECT pg_catalog.pg_get_userbyid(relowner) FROM pg_catalog.pg_class WHERE oid = r.rel) <> owner THEN\n"
		"      EXECUTE pg_catalog.format('ALTER TABLE %%s OWNER TO %%I', r.rel, owner);\n"
		"    END IF;\n"
		"  END LOOP;\n"
		"  FOR r IN SELECT a.privilege_type, a.grantee, a.is_grantable\n"
		"           FROM pg_catalog.pg_class c, pg_catalog.aclexplode(c.relacl) a\n"
		"           WHERE c.oid = src AND a.grantee <> c.relowner LOOP\n"
		"    EXECUTE pg_catalog.format('GRANT %%s ON %%s TO %%s%%s', r.privilege_type, dst,\n"
		"                   CASE WHEN r.grantee = 0 THEN 'PUBLIC'\n"
		"                        ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(r.grantee)) END,\n"
		"                   CASE WHEN r.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);\n"
		"  END LOOP;\n"
		"END\n",
		lf, lt);
	char *sql = do_block(body);

	free(body);
	free(lf);
	free(lt);
	free(qf);
	free(qt);
	return sql;
}

void
emit_foreign_key_not_valid(struct compile_ctx *cc, enum phase add_in, const char *table, const char *name,
			   const char *definition, const char *referenced)
{
	emit_constraint_not_valid(cc, add_in, table, name, "foreign key", definition);
	compile_touches(cc, referenced);
}

void
emit_constraint_not_valid(struct compile_ctx *cc, enum phase add_in, const char *table, const char *name,
			  const char *what, const char *definition)
{
	char *qn = sql_ident(name);

	/* the definition is the plan's: a CHECK's expression */
	emit_plan_sql(cc, add_in, table, xasprintf("add %s %s on %s (not valid)", what, name, table),
	     alter_table(cc, table, "ADD CONSTRAINT %s %s NOT VALID", qn, definition),
	     alter_table(cc, table, "DROP CONSTRAINT IF EXISTS %s", qn));
	compile_emit(cc, PHASE_SWITCH, table, xasprintf("validate %s %s", what, name),
	     alter_table(cc, table, "VALIDATE CONSTRAINT %s", qn), NULL);
	free(qn);
}

void
emit_not_null_via_check(struct compile_ctx *cc, enum phase check_in, const char *table, const char *col,
			const char *check)
{
	char *qc = sql_ident(col), *qn = sql_ident(check), *t = plan_qualified(cc->plan, table);
	char *lt = sql_literal(t), *lc = sql_literal(col);
	char *key = xasprintf("%d:%s.%s:notnull", cc->op_index, table, col);
	char *was = xasprintf("SELECT attnotnull::text FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s",
			      lt, lc);
	char *save = saved_put_sql(cc->plan->name, key, was), *saved = saved_get_sql(cc->plan->name, key);
	char *body = xasprintf("\nBEGIN\n"
			       "  IF %s IS DISTINCT FROM 'true' THEN\n"
			       "    ALTER TABLE %s ALTER COLUMN %s DROP NOT NULL;\n"
			       "  END IF;\n"
			       "END\n",
			       saved, t, qc);
	char *set = alter_table(cc, table, "ALTER COLUMN %s SET NOT NULL", qc);
	struct step *s;

	compile_emit(cc, check_in, table, xasprintf("add check %s IS NOT NULL (not valid)", col),
	     alter_table(cc, table, "ADD CONSTRAINT %s CHECK (%s IS NOT NULL) NOT VALID", qn, qc),
	     alter_table(cc, table, "DROP CONSTRAINT IF EXISTS %s", qn));
	compile_emit(cc, PHASE_SWITCH, table, xasprintf("validate check %s IS NOT NULL", col),
	     alter_table(cc, table, "VALIDATE CONSTRAINT %s", qn), NULL);
	s = compile_emit(cc, PHASE_SWITCH, table, xasprintf("set %s NOT NULL (uses the valid check, no scan)", col),
		 xasprintf("%s;\n%s", save, set), do_block(body));
	s->multi = true;
	/* The rollback re-adds the check NOT VALID (no scan), so that each
	 * rollback undoes exactly its own step. */
	compile_emit(cc, PHASE_SWITCH, table, xasprintf("drop helper check %s", check),
	     alter_table(cc, table, "DROP CONSTRAINT %s", qn),
	     alter_table(cc, table, "ADD CONSTRAINT %s CHECK (%s IS NOT NULL) NOT VALID", qn, qc));
	free(set);
	free(body);
	free(save);
	free(saved);
	free(was);
	free(key);
	free(lt);
	free(lc);
	free(t);
	free(qc);
	free(qn);
}

/* Fails, before anything is built, when a relation has the index's name:
 * IF NOT EXISTS would skip the build, USING INDEX attach that relation,
 * and a rollback drop it. An INVALID index of the same table is what a
 * failed build left: the runner drops it before building again. */
static char *
index_name_free_sql(const struct compile_ctx *cc, const char *table, const char *name)
{
	char *t = plan_qualified(cc->plan, table), *rel = sql_literal(t), *qi = plan_qualified(cc->plan, name);
	char *lindex = sql_literal(qi);
	char *lname = sql_literal(name);
	char *body = xasprintf("\nBEGIN\n"
			       "  IF EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass(%s)\n"
			       "             AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indexrelid = c.oid\n"
			       "                             AND i.indrelid = %s::regclass AND NOT i.indisvalid)) THEN\n"
			       "    RAISE EXCEPTION 'relation %% already exists: the unique index this migration builds takes that name; name the constraint in the plan', %s;\n"
			       "  END IF;\n"
			       "END\n",
			       lindex, rel, lname);
	char *sql = do_block(body);

	free(body);
	free(t);
	free(rel);
	free(qi);
	free(lindex);
	free(lname);
	return sql;
}

void
emit_index_constraint(struct compile_ctx *cc, enum phase build_in, const char *table, const char *name,
		      const char *kind, const struct strlist *columns, const struct index_params *ip, const char *attrs)
{
	char *qi = sql_ident(name), *t = plan_qualified(cc->plan, table), *qqi = plan_qualified(cc->plan, name);
	struct strbuf cols = STRBUF_INIT, opts = STRBUF_INIT, copts = STRBUF_INIT;
	bool pk = strcmp(kind, "PRIMARY KEY") == 0;
	struct index_build ib = {.table = (char *) table, .name = (char *) name, .unique = true, .constraint = (char *) kind};
	char *build;
	struct step *s;

	ident_list_sql(&cols, columns);
	index_params_sql(&opts, ip, true);
	index_params_sql(&copts, ip, false);
	ib.def = xasprintf("(%s)%s", cols.buf, opts.len ? opts.buf : "");
	ib.constraint_def = xasprintf("%s (%s)%s%s", kind, cols.buf, copts.len ? copts.buf : "", attrs);
	ib.attrs = (char *) attrs;
	for (size_t i = 0; i < columns->n; i++) {
		strlist_add(&ib.keys, columns->v[i]);
		strlist_add(&ib.names, columns->v[i]);
	}
	for (size_t i = 0; ip && i < ip->include_columns.n; i++)
		strlist_add(&ib.names, ip->include_columns.v[i]);
	build = xasprintf("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS %s ON %s %s", qi, t, ib.def);

	compile_emit(cc, build_in, table, xasprintf("check that no relation is named %s", name), index_name_free_sql(cc, table, name),
	     NULL);
	s = emit_index(cc, build_in, xasprintf("build unique index %s concurrently", name), xstrdup(build),
		       xasprintf("DROP INDEX CONCURRENTLY IF EXISTS %s", qqi), index_build_copy(&ib, IB_BUILD));
	s->no_txn = s->rollback_no_txn = true;
	if (build_in != PHASE_SWITCH) {
		/* Rolling back the constraint drops its index too: a switch run
		 * again after that builds it again here (and does nothing
		 * otherwise); the earlier phase's rollback drops it. */
		s = emit_index(cc, PHASE_SWITCH, xasprintf("make sure the unique index %s exists", name), xstrdup(build),
			       NULL, index_build_copy(&ib, IB_BUILD));
		s->no_txn = true;
	}
	emit_index(cc, PHASE_SWITCH, xasprintf("add %s constraint %s using the index", pk ? "primary key" : "unique", name),
		   alter_table(cc, table, "ADD CONSTRAINT %s %s USING INDEX %s%s", qi, kind, qi, attrs),
		   alter_table(cc, table, "DROP CONSTRAINT IF EXISTS %s", qi), index_build_copy(&ib, IB_ATTACH));
	strlist_free(&ib.keys);
	strlist_free(&ib.names);
	free(ib.def);
	free(ib.constraint_def);
	sb_free(&cols);
	sb_free(&opts);
	sb_free(&copts);
	free(build);
	free(qi);
	free(qqi);
	free(t);
}

void
emit_unique_using_index(struct compile_ctx *cc, enum phase build_in, const char *table, const char *col,
			const char *index)
{
	struct strlist cols = {0};

	strlist_add(&cols, col);
	emit_index_constraint(cc, build_in, table, index, "UNIQUE", &cols, NULL, "");
	strlist_free(&cols);
}

char *
carry_guard_sql(const struct compile_ctx *cc, const char *table, const char *column, const char *what)
{
	char *t = plan_qualified(cc->plan, table), *rel = sql_literal(t), *lc = sql_literal(column), *lw = sql_literal(what);
	char *body = xasprintf(
		"\nDECLARE\n"
		"  k record;\n"
		"BEGIN\n"
		"  SELECT c.conname, c.contype, c.conrelid::regclass AS tab INTO k FROM pg_catalog.pg_constraint c\n"
		"   WHERE (c.contype = 'f' AND c.confrelid = %s::regclass AND\n"
		"          (SELECT attnum FROM pg_catalog.pg_attribute WHERE attrelid = c.confrelid AND attname = %s) = ANY (c.confkey))\n"
		"      OR (c.contype = 'x' AND c.conrelid = %s::regclass AND\n"
		"          (SELECT attnum FROM pg_catalog.pg_attribute WHERE attrelid = c.conrelid AND attname = %s) = ANY (c.conkey))\n"
		"   ORDER BY c.conname LIMIT 1;\n"
		"  IF FOUND THEN\n"
		"    RAISE EXCEPTION '%% cannot replace %%.%% by another column: %% %% of %% %%', %s, %s::regclass, %s,\n"
		"      CASE k.contype WHEN 'f' THEN 'foreign key' ELSE 'exclusion constraint' END, k.conname, k.tab,\n"
		"      CASE k.contype WHEN 'f' THEN 'references it and would have to follow; drop it in a migration before, and add it again after'\n"
		"                     ELSE 'cannot be carried; drop it in a migration before, and add it again after' END;\n"
		"  END IF;\n"
		"END\n",
		rel, lc, rel, lc, lw, rel, lc);
	char *sql = do_block(body);

	free(body);
	free(t);
	free(rel);
	free(lc);
	free(lw);
	return sql;
}

void
emit_replaced_column_drop(struct compile_ctx *cc, const char *table, const char *fn, char *summary,
			  const char *qold, const char *then, const char *to, const char *final, const char *after)
{
	char *drop_trg = sync_triggers_drop_sql(cc, table, fn), *drop_fn = drop_function_sql(cc, fn);
	char *finish = carry_finish_sql(cc, table, to, final), *t = plan_qualified(cc->plan, table);
	struct step *s = compile_emit(cc, PHASE_CONTRACT, table, summary,
			      xasprintf("%s;\n%s;\nALTER TABLE %s DROP COLUMN %s;\n%s%s%s%s", drop_trg, drop_fn, t, qold,
					then, finish, *after ? ";\n" : "", after),
			      NULL);

	s->multi = true;
	s->irreversible = true;
	free(t);
	free(finish);
	free(drop_trg);
	free(drop_fn);
}

char *
carry_finish_sql(const struct compile_ctx *cc, const char *table, const char *to, const char *final)
{
	char *t = plan_qualified(cc->plan, table), *lt = sql_literal(t), *m = sql_literal(cc->plan->name);
	char *lto = sql_literal(to), *lfinal = sql_literal(final), *ls = sql_literal(plan_schema(cc->plan));
	/* an index's columns keep the names they were built under */
	char *cols = strcmp(to, final) == 0 ? xstrdup("")
		: xasprintf("    IF r ->> 'kind' IN ('index', 'u', 'p') AND EXISTS (SELECT 1 FROM pg_catalog.pg_attribute\n"
			    "        WHERE attrelid = pg_catalog.to_regclass(pg_catalog.format('%%I.%%I', %s, r ->> 'name'))\n"
			    "          AND attname = %s) THEN\n"
			    "      EXECUTE pg_catalog.format('ALTER TABLE %%I.%%I RENAME COLUMN %%I TO %%I', %s, r ->> 'name', %s, %s);\n"
			    "    END IF;\n",
			    ls, lto, ls, lto, lfinal);
	/* the prefix compared as it is: a LIKE pattern would read a name's
	 * "_" and "%" as wildcards and take another carry's rows */
	char *prefix = carry_key_prefix(table, to), *ll = sql_literal(prefix);
	char *body = xasprintf(
		"\nDECLARE\n"
		"  r jsonb;\n"
		"  defer text;\n"
		"BEGIN\n"
		"  FOR r IN SELECT value::jsonb FROM pgstep.saved WHERE migration = %s AND pg_catalog.starts_with(key, %s)\n"
		"      ORDER BY key LOOP\n"
		"    defer := CASE WHEN (r ->> 'deferred')::boolean THEN ' DEFERRABLE INITIALLY DEFERRED'\n"
		"                  WHEN (r ->> 'deferrable')::boolean THEN ' DEFERRABLE' ELSE '' END;\n"
		"    CASE r ->> 'kind'\n"
		"      WHEN 'index' THEN\n"
		"        EXECUTE pg_catalog.format('ALTER INDEX %%I.%%I RENAME TO %%I', %s, r ->> 'carried', r ->> 'name');\n"
		"      WHEN 'u' THEN\n"
		"        EXECUTE pg_catalog.format('ALTER TABLE %%s ADD CONSTRAINT %%I UNIQUE USING INDEX %%I%%s', %s, r ->> 'name', r ->> 'carried', defer);\n"
		"      WHEN 'p' THEN\n"
		"        EXECUTE pg_catalog.format('ALTER TABLE %%s ADD CONSTRAINT %%I PRIMARY KEY USING INDEX %%I%%s', %s, r ->> 'name', r ->> 'carried', defer);\n"
		"      ELSE\n"
		"        EXECUTE pg_catalog.format('ALTER TABLE %%s RENAME CONSTRAINT %%I TO %%I', %s, r ->> 'carried', r ->> 'name');\n"
		"    END CASE;\n"
		"%s"
		"  END LOOP;\n"
		"  DELETE FROM pgstep.saved WHERE migration = %s AND pg_catalog.starts_with(key, %s);\n"
		"END\n",
		m, ll, ls, lt, lt, lt, cols, m, ll);
	char *sql = do_block(body);

	free(body);
	free(t);
	free(lt);
	free(ls);
	free(m);
	free(prefix);
	free(ll);
	free(lto);
	free(lfinal);
	free(cols);
	return sql;
}

/* "IF <cond> THEN <stmt>; END IF;" as a DO block. */
static char *
do_if(const char *cond, const char *stmt)
{
	char *body = xasprintf("\nBEGIN\n  IF %s THEN\n    %s;\n  END IF;\nEND\n", cond, stmt);
	char *sql = do_block(body);

	free(body);
	return sql;
}

void
emit_not_null_like(struct compile_ctx *cc, const char *table, const char *from, const char *to)
{
	char *t = plan_qualified(cc->plan, table), *rel = sql_literal(t), *lf = sql_literal(from), *qto = sql_ident(to);
	char *cn = sql_helper_name(table, to, "notnull");
	char *qn = sql_ident(cn), *ln = sql_literal(cn);
	char *old_notnull = xasprintf("EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = %s::regclass "
				      "AND attname = %s AND attnotnull)", rel, lf);
	char *has_check = xasprintf("EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = %s::regclass "
				    "AND conname = %s)", rel, ln);
	char *add = alter_table(cc, table, "ADD CONSTRAINT %s CHECK (%s IS NOT NULL) NOT VALID", qn, qto);
	char *validate = alter_table(cc, table, "VALIDATE CONSTRAINT %s", qn);
	char *set = alter_table(cc, table, "ALTER COLUMN %s SET NOT NULL", qto);
	char *cond = xasprintf("%s AND NOT %s", old_notnull, has_check);

	compile_emit(cc, PHASE_SWITCH, table, xasprintf("add check %s IS NOT NULL (not valid) if %s is NOT NULL", to, from),
	     do_if(old_notnull, add), alter_table(cc, table, "DROP CONSTRAINT IF EXISTS %s", qn));
	compile_emit(cc, PHASE_SWITCH, table, xasprintf("validate check %s IS NOT NULL if added", to),
	     do_if(has_check, validate), NULL);
	compile_emit(cc, PHASE_SWITCH, table, xasprintf("set %s NOT NULL if %s is (uses the valid check, no scan)", to, from),
	     do_if(old_notnull, set), alter_table(cc, table, "ALTER COLUMN %s DROP NOT NULL", qto));
	/* The rollback puts the check back (NOT VALID, no scan) only where
	 * the forward steps had added it, so each rollback undoes exactly
	 * its own step. */
	compile_emit(cc, PHASE_SWITCH, table, xasprintf("drop helper check %s", cn),
	     alter_table(cc, table, "DROP CONSTRAINT IF EXISTS %s", qn), do_if(cond, add));
	free(add);
	free(validate);
	free(set);
	free(cond);
	free(old_notnull);
	free(has_check);
	free(ln);
	free(qn);
	free(cn);
	free(t);
	free(rel);
	free(lf);
	free(qto);
}
