/* alter_column's type change: a shadow column of the new type, a two-way
 * sync trigger, a batched backfill and a rename swap; the old column's
 * indexes and constraints carried, and the plan's NOT NULL, default,
 * comment, check, unique constraint and foreign key built on the shadow
 * column, so that after contract the column is as plain ALTER COLUMN TYPE
 * and ADD CONSTRAINT would leave it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pg/carry_sql.h"
#include "pg/colrefs.h"
#include "pg/sql.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "alter_column.h"
#include "column.h"
#include "helpers.h"
#include "compile/versioned.h"

/* The names a check may call the column by: its own, and the new one. */
static size_t
check_names(const struct alter_column *a, const char *names[2])
{
	names[0] = a->column;
	names[1] = a->name;
	return a->name ? 2 : 1;
}

/* NULL when the result still names the column (qualified, t.col: the
 * constraint would stay on the old column and go with it). */
char *
alter_column_check_moved(const struct alter_column *a, const char *to)
{
	const char *names[2];
	size_t n = check_names(a, names);
	char *e = carry_expr_sql(a->check->constraint, names, n, to);
	struct strlist refs = {0};

	if (e && !sql_column_refs(e, &refs)) {
		free(e);
		e = NULL;
	}
	for (size_t i = 0; e && i < n; i++)
		if (strlist_contains(&refs, names[i])) {
			free(e);
			e = NULL;
		}
	strlist_free(&refs);
	return e;
}

struct shadow {
	const char *final;	/* the column's name after the swap, raw */
	bool renamed;		/* the plan gives a new name too */
	char *t;		/* "table" */
	char *c;		/* "column": the old column before the swap */
	char *f;		/* "final": the new column after the swap */
	char *s, *qs;		/* the shadow column: raw, quoted */
	char *o, *qo;		/* the old column after the swap: raw, quoted */
	char *fn;		/* the sync function and trigger, raw */
};

/*
 * The sync trigger before the swap (the application writes the old
 * column; the shadow follows through up) and after it, when the
 * application writes the new column and the old one follows through down,
 * which keeps a rollback of the swap lossless. On INSERT, the column the
 * application writes is converted into the other; on UPDATE, the side
 * the writer changed is. Values are compared as text: that works for
 * types without an equality operator (json, point) and sees changes that
 * `=` calls equal (citext's case, numeric's scale).
 *
 * `up` sees the row as the old schema does and `down` as the new one
 * does: where the row holds something else under the name they use, a
 * variable of that name holds the right value (the function is compiled
 * with #variable_conflict use_variable, so the variable wins).
 */
static char *
shadow_body(const struct shadow *sh, const struct alter_column *a, bool swapped)
{
	char *up = ops_row_expr(a->up), *down = ops_row_expr(a->down);
	char *body;

	if (!swapped)
		/* The shadow has no default: an INSERT that sets it knows the
		 * new type, and the old column follows it. */
		body = xasprintf(
			"  IF TG_OP = 'INSERT' AND NEW.%s IS NULL OR TG_OP = 'UPDATE' AND NEW.%s::text IS DISTINCT FROM OLD.%s::text THEN\n"
			"    NEW.%s := %s;\n"
			"  ELSIF TG_OP = 'INSERT' OR NEW.%s::text IS DISTINCT FROM OLD.%s::text THEN\n"
			"    DECLARE\n"
			"      %s %s := NEW.%s;\n"
			"    BEGIN\n"
			"      NEW.%s := %s;\n"
			"    END;\n"
			"  END IF;\n",
			sh->qs, sh->c, sh->c, sh->qs, up,
			sh->qs, sh->qs, sh->f, a->type, sh->qs, sh->c, down);
	else if (!sh->renamed)
		/* The new column has the name, so the old application writes
		 * it too: the old column is a helper the application ignores. */
		body = xasprintf(
			"  IF TG_OP = 'INSERT' OR NEW.%s::text IS DISTINCT FROM OLD.%s::text THEN\n"
			"    NEW.%s := %s;\n"
			"  ELSIF NEW.%s::text IS DISTINCT FROM OLD.%s::text THEN\n"
			"    DECLARE\n"
			"      %s %s.%s%%TYPE := NEW.%s;\n"
			"    BEGIN\n"
			"      NEW.%s := %s;\n"
			"    END;\n"
			"  END IF;\n",
			sh->f, sh->f, sh->qo, down,
			sh->qo, sh->qo, sh->c, sh->t, sh->qo, sh->qo, sh->f, up);
	else
		/* Both names are in use until contract, each by its own
		 * application: an INSERT that sets the new column comes from
		 * the new one (the new column has no default before contract). */
		body = xasprintf(
			"  IF TG_OP = 'INSERT' THEN\n"
			"    IF NEW.%s IS NULL THEN\n"
			"      NEW.%s := %s;\n"
			"    ELSE\n"
			"      NEW.%s := %s;\n"
			"    END IF;\n"
			"  ELSIF NEW.%s::text IS DISTINCT FROM OLD.%s::text THEN\n"
			"    NEW.%s := %s;\n"
			"  ELSIF NEW.%s::text IS DISTINCT FROM OLD.%s::text THEN\n"
			"    NEW.%s := %s;\n"
			"  END IF;\n",
			sh->f, sh->f, up, sh->c, down,
			sh->f, sh->f, sh->c, down,
			sh->c, sh->c, sh->f, up);
	free(up);
	free(down);
	return body;
}

/* CREATE OR REPLACE FUNCTION of the sync function, as it is before or
 * after the swap. */
static char *
shadow_function(const struct compile_ctx *cc, const struct shadow *sh, const struct alter_column *a, bool swapped)
{
	char *body = shadow_body(sh, a, swapped);
	char *sql = trigger_function_sql(cc, sh->fn, body, "NEW");

	free(body);
	return sql;
}

#define PG_NAME_TRIES 10

/* ARRAY['<table>_<column>_not_null', '..._not_null1', ...]: the names
 * PostgreSQL 18 tries, in order, for the NOT NULL constraint of a column
 * (ChooseConstraintName). */
static char *
not_null_candidates(const char *table, const char *column)
{
	struct strbuf sb = STRBUF_INIT;

	for (int i = 0; i < PG_NAME_TRIES; i++) {
		char *label = i ? xasprintf("not_null%d", i) : xstrdup("not_null");
		char *name = sql_pg_name(table, column, label), *lit = sql_literal(name);

		sb_printf(&sb, "%s%s", i ? ", " : "ARRAY[", lit);
		free(lit);
		free(name);
		free(label);
	}
	sb_puts(&sb, "]::text[]");
	return sb_steal(&sb);
}

/*
 * PostgreSQL 18 keeps NOT NULL as a named constraint, named after the
 * column it was set on (<table>_<column>_not_null), and a renamed column
 * keeps it. Where column `a` takes the place of column `b` (the swap, its
 * rollback, a versioned contract), `a`'s takes the name of `b`'s, as
 * ALTER COLUMN TYPE keeps it, and `b`'s the name PostgreSQL would give it
 * now; where `b` has none, `a`'s takes the name PostgreSQL gives a NOT
 * NULL set on it under the name `a_final` (the one it is to have). Decided
 * when the step runs: nothing before PostgreSQL 18. One statement.
 */
static char *
not_null_names_sql(const struct compile_ctx *cc, const char *table, const char *a, const char *a_final,
		   const char *b)
{
	char *t = plan_qualified(cc->plan, table), *rel = sql_literal(t), *la = sql_literal(a), *lb = sql_literal(b);
	char *ca = not_null_candidates(table, a_final), *cb = not_null_candidates(table, b);
	const char *of = "(SELECT c.conname FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_attribute a\n"
			 "                      ON a.attrelid = c.conrelid AND c.conkey = ARRAY[a.attnum]\n"
			 "                     WHERE c.conrelid = rel AND c.contype = 'n' AND a.attname = ";
	char *body = xasprintf(
		"\nDECLARE\n"
		"  rel regclass := %s::regclass;\n"
		"  ns oid := (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = rel);\n"
		"  na text := %s%s);\n"
		"  nb text := %s%s);\n"
		"  to_a text;\n"
		"  to_b text;\n"
		"  c text;\n"
		"BEGIN\n"
		"  IF pg_catalog.current_setting('server_version_num')::integer < 180000 THEN\n"
		"    RETURN;\n"
		"  END IF;\n"
		"  IF nb IS NOT NULL THEN\n"
		"    FOREACH c IN ARRAY %s LOOP\n"
		"      IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE connamespace = ns AND conname = c) THEN\n"
		"        to_b := c;\n"
		"        EXIT;\n"
		"      END IF;\n"
		"    END LOOP;\n"
		"    IF to_b IS NULL THEN\n"
		"      RAISE EXCEPTION 'the NOT NULL constraint %% of %% cannot take the name PostgreSQL would give it: all %d tried are taken', nb, rel;\n"
		"    END IF;\n"
		"    EXECUTE pg_catalog.format('ALTER TABLE %%s RENAME CONSTRAINT %%I TO %%I', rel, nb, to_b);\n"
		"  END IF;\n"
		"  IF na IS NOT NULL THEN\n"
		"    to_a := nb;\n"
		"    IF to_a IS NULL THEN\n"
		"      FOREACH c IN ARRAY %s LOOP\n"
		"        IF c = na OR NOT EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE connamespace = ns AND conname = c) THEN\n"
		"          to_a := c;\n"
		"          EXIT;\n"
		"        END IF;\n"
		"      END LOOP;\n"
		"    END IF;\n"
		"    IF to_a IS NULL THEN\n"
		"      RAISE EXCEPTION 'the NOT NULL constraint %% of %% cannot take the name PostgreSQL would give it: all %d tried are taken', na, rel;\n"
		"    END IF;\n"
		"    IF to_a <> na THEN\n"
		"      EXECUTE pg_catalog.format('ALTER TABLE %%s RENAME CONSTRAINT %%I TO %%I', rel, na, to_a);\n"
		"    END IF;\n"
		"  END IF;\n"
		"END\n",
		rel, of, la, of, lb, cb, PG_NAME_TRIES, ca, PG_NAME_TRIES);
	char *sql = do_block(body);

	free(body);
	free(t);
	free(rel);
	free(la);
	free(lb);
	free(ca);
	free(cb);
	return sql;
}

/* The swap, or its rollback: the new column takes its name (from the old
 * one, which steps aside, unless the plan renames it) and the trigger
 * changes direction. */
static char *
swap_sql(const struct compile_ctx *cc, const struct shadow *sh, const struct alter_column *a, bool back)
{
	char *fn = shadow_function(cc, sh, a, !back);
	char *old = sh->renamed ? xstrdup("")
		: back ? xasprintf("ALTER TABLE %s RENAME COLUMN %s TO %s;\n", sh->t, sh->qo, sh->c)
		: xasprintf("ALTER TABLE %s RENAME COLUMN %s TO %s;\n", sh->t, sh->c, sh->qo);
	/* the column that takes the name takes its NOT NULL's name too */
	char *nn = back ? not_null_names_sql(cc, a->table, a->column, a->column, sh->s)
		: not_null_names_sql(cc, a->table, sh->final, sh->final, sh->o);
	char *sql = back ? xasprintf("ALTER TABLE %s RENAME COLUMN %s TO %s;\n%s%s;\n%s", sh->t, sh->f, sh->qs, old, nn, fn)
		: xasprintf("%sALTER TABLE %s RENAME COLUMN %s TO %s;\n%s;\n%s", old, sh->t, sh->qs, sh->f, nn, fn);

	free(old);
	free(nn);
	free(fn);
	return sql;
}

/* With a versioned schema nothing is swapped: the new application writes
 * the shadow through its view, the old one the old column, and the first
 * schema on the writer's search_path says which. */
static char *
versioned_body(const struct compile_ctx *cc, const struct shadow *sh, const struct alter_column *a)
{
	char *up = ops_row_expr(a->up), *down = ops_row_expr(a->down), *writer = versioned_writer_sql(cc);
	char *body = xasprintf(
		"  IF %s THEN\n"
		"    DECLARE\n"
		"      %s %s := NEW.%s;\n"
		"    BEGIN\n"
		"      NEW.%s := %s;\n"
		"    END;\n"
		"  ELSE\n"
		"    NEW.%s := %s;\n"
		"  END IF;\n",
		writer, sh->f, a->type, sh->qs, sh->c, down, sh->qs, up);

	free(up);
	free(down);
	free(writer);
	return body;
}

/* Without default in the plan, the new column takes the old one's, as
 * ALTER COLUMN TYPE keeps it: read when the step runs, and a clear stop
 * when it does not fit the new type. */
static char *
carry_default_sql(const struct compile_ctx *cc, const char *table, const char *from, const char *to, const char *type)
{
	char *t = plan_qualified(cc->plan, table), *rel = sql_literal(t), *lf = sql_literal(from), *lto = sql_literal(to);
	char *ltype = sql_literal(type);
	char *body = xasprintf(
		"\nDECLARE\n"
		"  def text;\n"
		"BEGIN\n"
		"  SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) INTO def\n"
		"    FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum\n"
		"   WHERE d.adrelid = %s::regclass AND a.attname = %s;\n"
		"  IF def IS NOT NULL THEN\n"
		"    BEGIN\n"
		"      EXECUTE pg_catalog.format('ALTER TABLE %%s ALTER COLUMN %%I SET DEFAULT %%s', %s, %s, def);\n"
		"    EXCEPTION WHEN OTHERS THEN\n"
		"      RAISE EXCEPTION 'the default of %%.%% (%%) does not fit the new type %%: %%; give default in the plan (null for none)',\n"
		"        %s::regclass, %s, def, %s, SQLERRM;\n"
		"    END;\n"
		"  END IF;\n"
		"END\n",
		rel, lf, rel, lto, rel, lf, ltype);
	char *sql = do_block(body);

	free(body);
	free(t);
	free(rel);
	free(lf);
	free(lto);
	free(ltype);
	return sql;
}

/* The new column's default: the plan's, or the old column's (`from`, as
 * it is named when the step runs). */
static void
emit_type_default(struct compile_ctx *cc, enum phase ph, const struct alter_column *a, const char *from,
		  const char *to)
{
	char *qto = sql_ident(to);

	if (a->has_default && a->default_)
		emit_plan_sql(cc, ph, a->table, xasprintf("set default of %s", to),
		     alter_table(cc, a->table, "ALTER COLUMN %s SET DEFAULT (%s)", qto, a->default_),
		     alter_table(cc, a->table, "ALTER COLUMN %s DROP DEFAULT", qto));
	else if (!a->has_default)
		compile_emit(cc, ph, a->table, xasprintf("give %s the default of %s, if any", to, from),
		     carry_default_sql(cc, a->table, from, to, a->type), alter_table(cc, a->table, "ALTER COLUMN %s DROP DEFAULT", qto));
	free(qto);
}

/* Without comment in the plan, the new column takes the old one's, as
 * ALTER COLUMN TYPE keeps it: read when the step runs. */
static char *
copy_comment_sql(const struct compile_ctx *cc, const char *table, const char *from, const char *to)
{
	char *t = plan_qualified(cc->plan, table), *rel = sql_literal(t), *lf = sql_literal(from), *lto = sql_literal(to);
	char *body = xasprintf(
		"\nBEGIN\n"
		"  EXECUTE pg_catalog.format('COMMENT ON COLUMN %%s.%%I IS %%L', %s::regclass, %s,\n"
		"                 (SELECT pg_catalog.col_description(attrelid, attnum) FROM pg_catalog.pg_attribute\n"
		"                   WHERE attrelid = %s::regclass AND attname = %s));\n"
		"END\n",
		rel, lto, rel, lf);
	char *sql = do_block(body);

	free(body);
	free(t);
	free(rel);
	free(lf);
	free(lto);
	return sql;
}

/*
 * VALIDATE of the plan's check on the new column. It refuses rows where
 * `up` gave a value the check does not accept (the backfill counted them
 * as not converted): the plan contradicts itself, and nothing is changed
 * to hide it; or where a writer of the new type wrote one before switch,
 * when nothing checked it yet. The stop says so, with the count, instead
 * of PostgreSQL's "violated by some row".
 */
static char *
validate_check_sql(const struct compile_ctx *cc, const char *table, const char *name, const char *expr,
		   const struct col_check *check)
{
	char *t = plan_qualified(cc->plan, table), *qn = sql_ident(name);
	char *shown = check->name ? xasprintf("%s (%s)", check->name, check->constraint)
		: xasprintf("(%s)", check->constraint);
	char *lt = sql_literal(table), *ln = sql_literal(shown);
	char *body = xasprintf(
		"\nDECLARE\n"
		"  refused bigint;\n"
		"BEGIN\n"
		"  ALTER TABLE %s VALIDATE CONSTRAINT %s;\n"
		"EXCEPTION WHEN check_violation THEN\n"
		"  SELECT pg_catalog.count(*) INTO refused FROM %s WHERE (%s) IS FALSE;\n"
		"  RAISE EXCEPTION 'up and the check disagree: check %% refuses the value of the column of the new type in %% row(s) of %% (up gave it, and the backfill counted those rows as not converted, or a writer of the new type did before switch); change up, or those rows, so that the check accepts them',\n"
		"    %s, refused, %s;\n"
		"END\n",
		t, qn, t, expr, ln, lt);
	char *sql = do_block(body);

	free(body);
	free(t);
	free(qn);
	free(shown);
	free(lt);
	free(ln);
	return sql;
}

/* PostgreSQL's name2 for the check it would name: the one column the
 * expression names (by its final name), or none (<table>_check). */
static char *
check_name2(const struct alter_column *a, const char *final)
{
	const char *names[2];
	size_t n = check_names(a, names);
	struct strlist refs = {0}, cols = {0};
	char *name2 = NULL;

	sql_column_refs(a->check->constraint, &refs);
	for (size_t i = 0; i < refs.n; i++) {
		const char *c = refs.v[i];

		for (size_t j = 0; j < n; j++)
			if (strcmp(c, names[j]) == 0)
				c = final;
		if (!strlist_contains(&cols, c))
			strlist_add(&cols, c);
	}
	if (cols.n == 1)
		name2 = xstrdup(cols.v[0]);
	strlist_free(&refs);
	strlist_free(&cols);
	return name2;
}

/*
 * Contract: a constraint the plan does not name takes the name PostgreSQL
 * would give it once the old column is gone and what was carried has its
 * names back, as ChooseConstraintName and ChooseRelationName do: the first
 * of <table>_<name2>_<label>, ..._<label>1, ... that no constraint in the
 * schema has (nor a relation, for the index of a unique constraint on the
 * shadow column `index_of`, whose column then takes the final name). One
 * statement, ending ";\n".
 */
static char *
pg_name_sql(const struct compile_ctx *cc, const char *table, const char *helper, const char *name2,
	    const char *label, const struct shadow *index_of)
{
	char *t = plan_qualified(cc->plan, table), *rel = sql_literal(t), *lh = sql_literal(helper);
	char *ls = sql_literal(plan_schema(cc->plan));
	struct strbuf tries = STRBUF_INIT;
	char *body, *sql, *then, *stmt;

	for (int i = 0; i < PG_NAME_TRIES; i++) {
		char *l = i ? xasprintf("%s%d", label, i) : xstrdup(label);
		char *name = sql_pg_name(table, name2, l), *lit = sql_literal(name);

		sb_printf(&tries, "%s%s", i ? ", " : "", lit);
		free(lit);
		free(name);
		free(l);
	}
	if (index_of) {
		/* an index's columns keep the names they were built under */
		char *lfrom = sql_literal(index_of->s), *lto = sql_literal(index_of->final);

		then = xasprintf("      EXECUTE pg_catalog.format('ALTER TABLE %%I.%%I RENAME COLUMN %%I TO %%I', %s, c, %s, %s);\n",
				 ls, lfrom, lto);
		free(lfrom);
		free(lto);
	} else
		then = xstrdup("");
	body = xasprintf(
		"\nDECLARE\n"
		"  ns oid := (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = %s::regclass);\n"
		"  c text;\n"
		"BEGIN\n"
		"  FOREACH c IN ARRAY ARRAY[%s]::text[] LOOP\n"
		"    IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE connamespace = ns AND conname = c)%s THEN\n"
		"      EXECUTE pg_catalog.format('ALTER TABLE %%s RENAME CONSTRAINT %%I TO %%I', %s::regclass, %s, c);\n"
		"%s"
		"      RETURN;\n"
		"    END IF;\n"
		"  END LOOP;\n"
		"  RAISE EXCEPTION 'constraint %% of %% cannot take the name PostgreSQL would give it: all %d tried are taken; name it in the plan', %s, %s::regclass;\n"
		"END\n",
		rel, tries.buf,
		index_of ? "\n       AND NOT EXISTS (SELECT FROM pg_catalog.pg_class WHERE relnamespace = ns AND relname = c)" : "",
		rel, lh, then, PG_NAME_TRIES, lh, rel);
	sql = do_block(body);
	stmt = xasprintf("%s;\n", sql);
	free(sql);
	free(body);
	free(then);
	free(ls);
	sb_free(&tries);
	free(t);
	free(rel);
	free(lh);
	return stmt;
}

/*
 * The plan's check, foreign key and unique constraint, on the new column
 * in switch (after the backfill has filled it, and before the swap),
 * each as add_column and in-place alter_column add them: NOT VALID then
 * VALIDATE, a unique index built concurrently then attached. One the plan
 * does not name goes by a helper name until contract, where it takes
 * PostgreSQL's (`after` gets the renames): until then the old column
 * holds the constraints PostgreSQL's names belong to.
 */
static void
emit_shadow_constraints(struct compile_ctx *cc, const struct alter_column *a, const struct shadow *sh,
			struct strbuf *after)
{
	const char *table = a->table;

	if (a->check) {
		char *e = alter_column_check_moved(a, sh->s);	/* validate() saw it move */
		struct col_check moved = *a->check;
		char *cn = a->check->name ? xstrdup(a->check->name) : sql_helper_name(table, a->column, "check");
		char *qn = sql_ident(cn), *def;

		moved.constraint = e;
		def = column_check_sql(&moved);
		emit_plan_sql(cc, PHASE_SWITCH, table, xasprintf("add check %s on %s (not valid)", cn, sh->s),
			      alter_table(cc, table, "ADD CONSTRAINT %s %s NOT VALID", qn, def),
			      alter_table(cc, table, "DROP CONSTRAINT IF EXISTS %s", qn));
		emit_plan_sql(cc, PHASE_SWITCH, table, xasprintf("validate check %s (what up gave must pass it)", cn),
			      validate_check_sql(cc, table, cn, e, a->check), NULL);
		if (!a->check->name) {
			char *name2 = check_name2(a, sh->final), *r = pg_name_sql(cc, table, cn, name2, "check", NULL);

			sb_puts(after, r);
			free(r);
			free(name2);
		}
		free(def);
		free(qn);
		free(cn);
		free(e);
	}
	if (a->references) {
		char *cn = a->references->name ? xstrdup(a->references->name) : sql_helper_name(table, a->column, "fkey");
		char *fk = column_fk_sql(plan_schema(cc->plan), sh->s, a->references);

		emit_foreign_key_not_valid(cc, PHASE_SWITCH, table, cn, fk, a->references->table);
		if (!a->references->name) {
			char *r = pg_name_sql(cc, table, cn, sh->final, "fkey", NULL);

			sb_puts(after, r);
			free(r);
		}
		free(fk);
		free(cn);
	}
	if (a->unique.on) {
		char *in = a->unique.name ? xstrdup(a->unique.name) : sql_helper_name(table, a->column, "key");

		emit_unique_using_index(cc, PHASE_SWITCH, table, sh->s, in);
		if (!a->unique.name) {
			char *r = pg_name_sql(cc, table, in, sh->final, "key", sh);

			sb_puts(after, r);
			free(r);
		} else {
			/* an index's columns keep the names they were built under */
			char *qi = plan_qualified(cc->plan, in);

			sb_printf(after, "ALTER TABLE %s RENAME COLUMN %s TO %s;\n", qi, sh->qs, sh->f);
			free(qi);
		}
		free(in);
	}
}

/* Contract with a versioned schema: trigger and old column go, and the
 * shadow takes the final name (the new version's view follows it). */
static void
compile_type_contract_versioned(struct compile_ctx *cc, const char *table, const struct shadow *sh,
				const char *after)
{
	char *rename = xasprintf("ALTER TABLE %s RENAME COLUMN %s TO %s;\n", sh->t, sh->qs, sh->f);
	const char *column = sh->renamed ? sh->o : sh->final;	/* the old column */
	/* Before the old column goes with its NOT NULL constraint, the
	 * shadow's takes that one's name (PostgreSQL 18; a step of its own,
	 * which a failure of contract undoes). */
	char *nn = not_null_names_sql(cc, table, sh->s, sh->final, column);
	char *back = not_null_names_sql(cc, table, column, column, sh->s);

	compile_emit(cc, PHASE_CONTRACT, table,
	     xasprintf("give the NOT NULL constraint of %s the name of %s's (PostgreSQL 18)", sh->s, column), nn, back);
	emit_replaced_column_drop(cc, table, sh->fn,
				  xasprintf("drop trigger %s and the old column, %s becomes %s; what was carried takes its names",
					    sh->fn, sh->s, sh->final),
				  sh->c, rename, sh->s, sh->final, after);
	free(rename);
}

void
alter_column_compile_type(struct compile_ctx *cc, const struct alter_column *a)
{
	const char *table = a->table;
	struct shadow sh = {.final = a->name ? a->name : a->column, .renamed = a->name != NULL};
	struct strbuf after = STRBUF_INIT, bad = STRBUF_INIT;
	char *stash = NULL;
	char *body;
	bool v = versioned_active(cc);
	struct step *s;

	sh.t = plan_qualified(cc->plan, table);
	sh.c = sql_ident(a->column);
	sh.f = sql_ident(sh.final);
	sh.s = sql_helper_name(table, a->column, "new");
	sh.qs = sql_ident(sh.s);
	sh.o = sh.renamed ? xstrdup(a->column) : sql_helper_name(table, a->column, "old");
	sh.qo = sql_ident(sh.o);
	sh.fn = sql_helper_name(table, a->column, "sync");

	/* Expand: what cannot follow the column refused first; the shadow
	 * column (no default, so no rewrite); then the trigger. */
	compile_emit(cc, PHASE_EXPAND, table, xasprintf("check that what hangs on %s.%s can follow it", table, a->column),
	     carry_guard_sql(cc, table, a->column, "alter_column"), NULL);
	emit_plan_sql(cc, PHASE_EXPAND, table, xasprintf("add shadow column %s %s to %s", sh.s, a->type, table),
	     alter_table(cc, table, "ADD COLUMN %s %s", sh.qs, a->type),
	     alter_table(cc, table, "DROP COLUMN IF EXISTS %s", sh.qs));
	if (a->comment)
		compile_emit(cc, PHASE_EXPAND, table, xasprintf("comment on %s.%s", table, sh.s),
		     alter_column_comment_sql(cc, table, sh.s, a->comment), alter_column_comment_sql(cc, table, sh.s, NULL));
	else if (!a->has_comment)
		compile_emit(cc, PHASE_EXPAND, table, xasprintf("give %s the comment of %s, if any", sh.s, a->column),
		     copy_comment_sql(cc, table, a->column, sh.s), alter_column_comment_sql(cc, table, sh.s, NULL));
	/* After the swap, the old column takes down of what the application
	 * writes into the new one, which may now be NULL; a rollback makes it
	 * NOT NULL again only if it was. */
	if (a->has_nullable && a->nullable) {
		stash = alter_column_stash_key(cc, table, a->column);
		alter_column_emit_stash(cc, table, a->column, stash);
		alter_column_emit_drop_not_null(cc, table, a->column, stash, NULL,
						" (the column of the new type is NULL there, or down gives NULL for its value); fill them by hand",
						xasprintf("drop NOT NULL of %s (the new column may be NULL)", a->column));
	}
	body = v ? versioned_body(cc, &sh, a) : shadow_body(&sh, a, false);
	emit_sync_trigger(cc, PHASE_EXPAND, N_PHASES, table, sh.fn, "INSERT OR UPDATE", body,
			  "converts writes between the old and the shadow column");
	free(body);
	if (v) {
		view_column_replaced(cc, table, a->column, sh.s, sh.final);
		/* The new version's inserts through the views that leave the
		 * column out get its default from the start; the old version's
		 * get the shadow from up, whatever it held. */
		emit_type_default(cc, PHASE_EXPAND, a, a->column, sh.s);
	}

	/* Backfill: rows up leaves NULL (where the value was not, or where
	 * the column becomes NOT NULL), or gives a value the plan's check
	 * refuses, are counted and listed, not lost: switch then stops. */
	if (a->has_nullable && !a->nullable)
		sb_printf(&bad, "%s IS NULL", sh.qs);
	else
		sb_printf(&bad, "%s IS NOT NULL AND %s IS NULL", sh.c, sh.qs);
	if (a->check) {
		char *e = alter_column_check_moved(a, sh.s);

		sb_printf(&bad, " OR (%s) IS FALSE", e);
		free(e);
	}
	emit_backfill(cc, xasprintf("backfill %s.%s (convert %s to %s)", table, sh.s, a->column, a->type),
		      (struct backfill) {
			      .table = xstrdup(table),
			      .set_sql = xasprintf("%s = (%s)", sh.qs, a->up),
			      .where_sql = xasprintf("%s IS NULL", sh.qs),
			      .unconverted_sql = sb_steal(&bad),
		      });

	/* Switch: NOT NULL on the shadow (as the plan says, or as the old
	 * column is), the old column's indexes and constraints, the plan's,
	 * then the swap in one transaction. */
	if (a->has_nullable && !a->nullable) {
		char *cn = sql_helper_name(table, a->column, "notnull");

		emit_not_null_via_check(cc, PHASE_SWITCH, table, sh.s, cn);
		free(cn);
	} else if (!a->has_nullable)
		emit_not_null_like(cc, table, a->column, sh.s);
	emit_carry(cc, PHASE_SWITCH, table, a->column, sh.s);
	emit_shadow_constraints(cc, a, &sh, &after);
	if (v) {
		compile_type_contract_versioned(cc, table, &sh, after.len ? after.buf : "");
		goto out;
	}
	/* the sync function created again: its body declares the new type */
	s = emit_plan_sql(cc, PHASE_SWITCH, table,
		 sh.renamed ? xasprintf("%s becomes %s, next to %s; the trigger follows", sh.s, sh.final, a->column)
		 : xasprintf("swap: %s becomes %s, %s becomes %s; the trigger follows", a->column, sh.o, sh.s,
			     sh.final),
		 swap_sql(cc, &sh, a, false), swap_sql(cc, &sh, a, true));
	s->multi = true;
	/* With a new name, the old application still inserts without the
	 * new column until contract: a default would hide its rows from the
	 * trigger, so it comes when the trigger goes. After the swap the old
	 * column is named sh.o. */
	emit_type_default(cc, sh.renamed ? PHASE_CONTRACT : PHASE_SWITCH, a, sh.o, sh.final);

	/* Contract: the trigger and the old column in one transaction. */
	emit_replaced_column_drop(cc, table, sh.fn,
				  xasprintf("drop trigger %s and the old column %s; what was carried takes its names", sh.fn,
					    sh.o),
				  sh.qo, "", sh.s, sh.final, after.len ? after.buf : "");
out:
	sb_free(&after);
	free(stash);

	free(sh.t);
	free(sh.c);
	free(sh.f);
	free(sh.s);
	free(sh.qs);
	free(sh.o);
	free(sh.qo);
	free(sh.fn);
}
