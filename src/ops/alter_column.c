/* alter_column: a rename, a type change through a shadow column (which
 * takes the plan's constraints, default and comment too: in
 * alter_column_type.c), or constraints, a default and a comment changed in
 * place, without long locks. pgroll's field names. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ops/ops.h"
#include "pg/sql.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "alter_column.h"
#include "column.h"
#include "helpers.h"
#include "rename.h"

/* unique: true or unique: {name: x} */
static const struct field unique_fields[] = {
	{.key = "name", .type = F_IDENT, .offset = offsetof(struct unique_spec, name)},
	FIELD_END
};

static bool
unique_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	struct unique_spec *u = dst;

	if (n->type == YAML_MAPPING_NODE) {
		u->on = true;
		return fields_parse(y, n, unique_fields, u, "unique");
	}
	if (n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    strcmp((const char *) n->data.scalar.value, "true") == 0) {
		u->on = true;
		return true;
	}
	if (n->type == YAML_SCALAR_NODE && !ydoc_is_null(n))
		ydoc_error(y, n, "alter_column.unique must be true or {name: ...}, not \"%s\" (dropping a unique constraint is not supported)",
			   (const char *) n->data.scalar.value);
	else
		ydoc_error(y, n, "alter_column.unique must be true or {name: ...}, not %s", ydoc_kind(n));
	return false;
}

static void
unique_free(void *dst)
{
	struct unique_spec *u = dst;

	free(u->name);
	u->name = NULL;
}

/* default and comment: a string, or null (pgroll's): DROP DEFAULT, no comment */
static bool
nullable_str(struct ydoc *y, yaml_node_t *n, char **out, const char *what)
{
	const char *s;

	if (ydoc_is_null(n))
		return true;
	if (!(s = ydoc_scalar(y, n, what)))
		return false;
	*out = xstrdup(s);
	return true;
}

static bool
default_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	return nullable_str(y, n, dst, "alter_column.default");
}

static bool
comment_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	return nullable_str(y, n, dst, "alter_column.comment");
}

static void
str_free(void *dst)
{
	free(*(char **) dst);
	*(char **) dst = NULL;
}

#define A(m) offsetof(struct alter_column, m)
static const struct field fields[] = {
	{.key = "table", .type = F_IDENT, .offset = A(table), .required = true},
	{.key = "column", .type = F_IDENT, .offset = A(column), .required = true},
	{.key = "name", .type = F_IDENT, .offset = A(name)},
	{.key = "type", .type = F_FRAG, .frag = FRAG_TYPE, .offset = A(type)},
	{.key = "up", .type = F_STR, .offset = A(up), .sql = FSQL_UPDOWN},
	{.key = "down", .type = F_STR, .offset = A(down), .sql = FSQL_UPDOWN},
	{.key = "nullable", .type = F_BOOL, .offset = A(nullable), .has = FHAS(struct alter_column, has_nullable)},
	{.key = "check", .type = F_CUSTOM, .offset = A(check), .parse = col_check_parse, .free = col_check_free,
	 .sql = FSQL_EXPR, .sub = col_check_fields},
	{.key = "unique", .type = F_CUSTOM, .offset = A(unique), .parse = unique_parse, .free = unique_free},
	{.key = "references", .type = F_CUSTOM, .offset = A(references), .parse = col_ref_parse,
	 .free = col_ref_free},
	{.key = "default", .type = F_CUSTOM, .offset = A(default_), .has = FHAS(struct alter_column, has_default),
	 .parse = default_parse, .free = str_free, .sql = FSQL_EXPR},
	{.key = "comment", .type = F_CUSTOM, .offset = A(comment), .has = FHAS(struct alter_column, has_comment),
	 .parse = comment_parse, .free = str_free},
	FIELD_END
};
#undef A

enum {
	K_NULLABLE = 1 << 0,
	K_CHECK = 1 << 1,
	K_UNIQUE = 1 << 2,
	K_REFERENCES = 1 << 3,
	K_DEFAULT = 1 << 4,
	K_UP = 1 << 5,
	K_DOWN = 1 << 6,
};

/* "check, unique": which of the keys in `mask` the operation has, or NULL. */
static char *
keys_given(const struct alter_column *a, unsigned mask)
{
	const struct {
		unsigned bit;
		bool given;
		const char *key;
	} keys[] = {
		{K_NULLABLE, a->has_nullable, "nullable"},
		{K_CHECK, a->check != NULL, "check"},
		{K_UNIQUE, a->unique.on, "unique"},
		{K_REFERENCES, a->references != NULL, "references"},
		{K_DEFAULT, a->has_default, "default"},
		{K_UP, a->up != NULL, "up"},
		{K_DOWN, a->down != NULL, "down"},
	};
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if ((mask & keys[i].bit) && keys[i].given)
			sb_printf(&sb, "%s%s", sb.len ? ", " : "", keys[i].key);
	return sb.len ? sb_steal(&sb) : NULL;
}

static bool
validate(struct ydoc *y, yaml_node_t *map, void *data)
{
	struct alter_column *a = data;
	bool ok = true;
	char *bad;

	if (a->name && strcmp(a->name, a->column) == 0) {
		ydoc_error(y, map, "alter_column: name is the column's current name \"%s\"", a->name);
		ok = false;
	}
	if (a->type) {
		/* Everything else belongs to the shadow column; a check is
		 * moved onto it by name. */
		char *moved = a->check ? alter_column_check_moved(a, "_pgstep_new") : NULL;

		if (a->check && !moved) {
			ydoc_error(y, map,
				   "alter_column.check \"%s\" names \"%s\" where it cannot be moved to the column of the new type (qualified, as %s.%s, or it does not parse): write the column's name alone",
				   a->check->constraint, a->column, a->table, a->column);
			ok = false;
		}
		free(moved);
		if (!a->up) {
			ydoc_error(y, map,
				   "alter_column changing the type of \"%s\" needs up: the expression that converts the old value (over the row as the old schema sees it)",
				   a->column);
			ok = false;
		}
		if (!a->down) {
			ydoc_error(y, map,
				   "alter_column changing the type of \"%s\" needs down: the expression that converts a new value back for the old column (over the row as the new schema sees it), which writers of the new schema keep in sync until contract",
				   a->column);
			ok = false;
		}
		return ok;
	}
	if (a->name) {
		if ((bad = keys_given(a, K_NULLABLE | K_CHECK | K_UNIQUE | K_REFERENCES | K_DEFAULT | K_UP | K_DOWN))) {
			ydoc_error(y, map,
				   "alter_column with name and no type renames the column, and supports only comment besides: it cannot also take %s; change that in a later migration",
				   bad);
			free(bad);
			ok = false;
		}
		return ok;
	}
	if (!a->has_nullable && !a->check && !a->unique.on && !a->references && !a->has_default && !a->has_comment) {
		ydoc_error(y, map,
			   "alter_column has nothing to change: give name, type, nullable, check, unique, references, default or comment");
		return false;
	}
	if (a->has_nullable && !a->nullable && !a->up) {
		ydoc_error(y, map,
			   "alter_column making \"%s\" NOT NULL needs up: the value for rows, and for writers, where it is NULL",
			   a->column);
		return false;
	}
	return ok;
}

char *
alter_column_comment_sql(const struct compile_ctx *cc, const char *table, const char *column, const char *comment)
{
	char *t = plan_qualified(cc->plan, table), *c = sql_ident(column);
	char *lit = comment ? sql_literal(comment) : xstrdup("NULL");
	char *sql = xasprintf("COMMENT ON COLUMN %s.%s IS %s", t, c, lit);

	free(lit);
	free(t);
	free(c);
	return sql;
}

/*
 * What a rollback restores cannot be known offline (the default a DROP
 * DEFAULT removes, the comment a COMMENT replaces, whether DROP NOT NULL
 * had anything to drop, and on PostgreSQL 18 the name of the NOT NULL
 * constraint it drops), so the first step saves the column's state in
 * pgstep.saved under `key`, which the rollbacks read. Nothing is left in
 * the application's schema, and nothing has to be dropped at contract.
 */
static char *
stash_sql(const struct compile_ctx *cc, const char *table, const char *column, const char *key)
{
	char *t = plan_qualified(cc->plan, table), *rel = sql_literal(t), *lc = sql_literal(column);
	char *m = sql_literal(cc->plan->name), *lk = sql_literal(key);
	char *body = xasprintf(
		"\nDECLARE\n"
		"  was jsonb;\n"
		"BEGIN\n"
		"  SELECT pg_catalog.jsonb_build_object('notnull', a.attnotnull,\n"
		"                                       'default', pg_catalog.pg_get_expr(d.adbin, d.adrelid),\n"
		"                                       'comment', pg_catalog.col_description(a.attrelid, a.attnum),\n"
		"                                       'notnull_name', (SELECT c.conname FROM pg_catalog.pg_constraint c\n"
		"                                         WHERE c.conrelid = a.attrelid AND c.contype = 'n' AND c.conkey = ARRAY[a.attnum]))\n"
		"    INTO was\n"
		"    FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum\n"
		"   WHERE a.attrelid = %s::regclass AND a.attname = %s AND a.attnum > 0 AND NOT a.attisdropped;\n"
		"  IF was IS NULL THEN\n"
		"    RAISE EXCEPTION 'column %% of %% does not exist', %s, %s::regclass;\n"
		"  END IF;\n"
		"  INSERT INTO pgstep.saved (migration, key, value) VALUES (%s, %s, was::text)\n"
		"    ON CONFLICT (migration, key) DO UPDATE SET value = EXCLUDED.value, saved_at = now();\n"
		"END\n",
		rel, lc, lc, rel, m, lk);
	char *sql = do_block(body);

	free(body);
	free(t);
	free(rel);
	free(lc);
	free(m);
	free(lk);
	return sql;
}

/* The saved state, as jsonb; the caller frees. */
static char *
stashed(const struct compile_ctx *cc, const char *key)
{
	char *get = saved_get_sql(cc->plan->name, key);
	char *sql = xasprintf("%s::jsonb", get);

	free(get);
	return sql;
}

/* The key the column's state is saved under. */
char *
alter_column_stash_key(const struct compile_ctx *cc, const char *table, const char *column)
{
	return xasprintf("%d:%s.%s:was", cc->op_index, table, column);
}

/* The step that saves it; its rollback forgets it. */
void
alter_column_emit_stash(struct compile_ctx *cc, const char *table, const char *column, const char *key)
{
	char *m = sql_literal(cc->plan->name), *lk = sql_literal(key);

	compile_emit(cc, PHASE_EXPAND, NULL, xasprintf("save the state of %s.%s for rollbacks", table, column),
	     stash_sql(cc, table, column, key),
	     xasprintf("DELETE FROM pgstep.saved WHERE migration = %s AND key = %s", m, lk));
	free(m);
	free(lk);
}

enum restore { RESTORE_DEFAULT, RESTORE_COMMENT };

/* The rollback that puts back what the stash kept. */
static char *
restore_sql(const struct compile_ctx *cc, const char *table, const char *column, const char *key, enum restore what)
{
	char *t = plan_qualified(cc->plan, table), *c = sql_ident(column), *qs = stashed(cc, key);
	char *lt = sql_literal(t), *lc = sql_literal(column);
	char *body;
	char *sql;

	if (what == RESTORE_DEFAULT)
		body = xasprintf("\nDECLARE\n"
				 "  def text := %s ->> 'default';\n"
				 "BEGIN\n"
				 "  IF def IS NULL THEN\n"
				 "    ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT;\n"
				 "  ELSE\n"
				 "    EXECUTE pg_catalog.format('ALTER TABLE %%s ALTER COLUMN %%I SET DEFAULT %%s', %s, %s, def);\n"
				 "  END IF;\n"
				 "END\n",
				 qs, t, c, lt, lc);
	else
		body = xasprintf("\nBEGIN\n"
				 "  EXECUTE pg_catalog.format('COMMENT ON COLUMN %%s.%%I IS %%L', %s, %s, %s ->> 'comment');\n"
				 "END\n",
				 lt, lc, qs);
	sql = do_block(body);
	free(body);
	free(t);
	free(c);
	free(qs);
	free(lt);
	free(lc);
	return sql;
}

/* Whether the server keeps NOT NULL as a constraint of its own, which can
 * be added NOT VALID and validated (PostgreSQL 18): asked in the step,
 * when it runs. */
#define PG18_SQL "pg_catalog.current_setting('server_version_num')::integer >= 180000"

/*
 * DROP NOT NULL, and its rollback: NOT NULL again if the column had it,
 * without reading the table under a lock that blocks writes. That takes
 * four transactions, and a rollback is one per step: the forward work is
 * the last of four steps, and the three before it have nothing to do
 * forward (struct step). Their rollbacks, run last first:
 *
 *   1. NOT NULL back NOT VALID (no scan): on PostgreSQL 18 the NOT NULL
 *      constraint itself, under the name it had (saved by the stash);
 *      before, a helper CHECK (col IS NOT NULL);
 *   2. the rows written NULL while the migration was open get `down`
 *      (pgroll writes down into the old column for them), then VALIDATE
 *      (SHARE UPDATE EXCLUSIVE: the application's writes go on); where
 *      rows stay NULL (no down, or down gives NULL) it stops with their
 *      count rather than PostgreSQL's message;
 *   3. before 18, SET NOT NULL, which the valid check proves: no scan;
 *   4. the helper check dropped.
 *
 * Each does its part only where the catalog says it is still to do, so
 * that undoing a phase that failed half way works too.
 */
void
alter_column_emit_drop_not_null(struct compile_ctx *cc, const char *table, const char *column, const char *key,
				const char *down, const char *hint, char *summary)
{
	char *t = plan_qualified(cc->plan, table), *c = sql_ident(column), *qs = stashed(cc, key);
	char *rel = sql_literal(t), *lt = sql_literal(table), *lc = sql_literal(column);
	char *cn = sql_helper_name(table, column, "renotnull"), *qn = sql_ident(cn), *ln = sql_literal(cn);
	char *helper = xasprintf("SELECT FROM pg_catalog.pg_constraint WHERE conrelid = %s::regclass AND conname = %s",
				 rel, ln);
	char *fill = down ? xasprintf("    UPDATE %s SET %s = (%s) WHERE %s IS NULL;\n", t, c, down, c) : xstrdup("");
	char *lhint = sql_literal(hint);
	char *body, *add, *validate, *set, *drop;

	body = xasprintf("\nDECLARE\n"
			 "  was jsonb := %s;\n"
			 "BEGIN\n"
			 "  IF (was ->> 'notnull')::boolean AND NOT EXISTS (SELECT FROM pg_catalog.pg_attribute\n"
			 "      WHERE attrelid = %s::regclass AND attname = %s AND attnotnull) THEN\n"
			 "    IF " PG18_SQL " THEN\n"
			 "      EXECUTE pg_catalog.format('ALTER TABLE %%s ADD %%s NOT NULL %%I NOT VALID', %s,\n"
			 "                     CASE WHEN was ->> 'notnull_name' IS NULL THEN ''\n"
			 "                          ELSE pg_catalog.format('CONSTRAINT %%I', was ->> 'notnull_name') END, %s);\n"
			 "    ELSE\n"
			 "      ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s IS NOT NULL) NOT VALID;\n"
			 "    END IF;\n"
			 "  END IF;\n"
			 "END\n",
			 qs, rel, lc, rel, lc, t, qn, c);
	add = do_block(body);
	free(body);
	{
		/* the helper check not yet valid, else (18) the NOT NULL constraint not yet valid */
		char *hq = xasprintf("(SELECT conname FROM pg_catalog.pg_constraint WHERE conrelid = %s::regclass\n"
				     "                                    AND conname = %s AND NOT convalidated)",
				     rel, ln);
		char *nq = xasprintf("(SELECT c.conname FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_attribute a\n"
				     "                                    ON a.attrelid = c.conrelid AND c.conkey = ARRAY[a.attnum]\n"
				     "                                    WHERE c.conrelid = %s::regclass AND c.contype = 'n' AND a.attname = %s\n"
				     "                                      AND NOT c.convalidated)",
				     rel, lc);

		body = xasprintf("\nDECLARE\n"
				 "  con text := COALESCE(%s,\n"
				 "                                  %s);\n"
				 "  nulls bigint;\n"
				 "BEGIN\n"
				 "  IF con IS NOT NULL THEN\n"
				 "%s"
				 "    BEGIN\n"
				 "      EXECUTE pg_catalog.format('ALTER TABLE %%s VALIDATE CONSTRAINT %%I', %s, con);\n"
				 "    EXCEPTION WHEN check_violation OR not_null_violation THEN\n"
				 "      SELECT pg_catalog.count(*) INTO nulls FROM %s WHERE %s IS NULL;\n"
				 "      RAISE EXCEPTION 'cannot make %%.%% NOT NULL again: %% row(s) written while the migration was open are NULL%%', %s, %s, nulls,\n"
				 "        %s;\n"
				 "    END;\n"
				 "  END IF;\n"
				 "END\n",
				 hq, nq, fill, rel, t, c, lt, lc, lhint);
		free(hq);
		free(nq);
	}
	validate = do_block(body);
	free(body);
	body = xasprintf("\nBEGIN\n"
			 "  IF EXISTS (%s AND convalidated)\n"
			 "     AND NOT EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = %s::regclass AND attname = %s AND attnotnull) THEN\n"
			 "    ALTER TABLE %s ALTER COLUMN %s SET NOT NULL;\n"
			 "  END IF;\n"
			 "END\n",
			 helper, rel, lc, t, c);
	set = do_block(body);
	free(body);
	body = xasprintf("\nBEGIN\n"
			 "  IF EXISTS (%s) THEN\n"
			 "    ALTER TABLE %s DROP CONSTRAINT %s;\n"
			 "  END IF;\n"
			 "END\n",
			 helper, t, qn);
	drop = do_block(body);
	free(body);

	compile_emit(cc, PHASE_EXPAND, table, xasprintf("for a rollback, 4 of 4: drop the check that made %s NOT NULL again", column),
	     NULL, drop);
	compile_emit(cc, PHASE_EXPAND, table,
	     xasprintf("for a rollback, 3 of 4: set %s NOT NULL again (before PostgreSQL 18; the valid check spares the scan)",
		       column),
	     NULL, set);
	/* down is the plan's SQL */
	(down ? emit_plan_sql : compile_emit)(cc, PHASE_EXPAND, table,
				     xasprintf("for a rollback, 2 of 4: %svalidate NOT NULL of %s",
					       down ? "fill the NULLs with down, " : "", column),
				     NULL, validate);
	/* the rollback of this one runs first */
	compile_emit(cc, PHASE_EXPAND, table, summary, alter_table(cc, table, "ALTER COLUMN %s DROP NOT NULL", c), add);

	free(t);
	free(c);
	free(qs);
	free(rel);
	free(lt);
	free(lc);
	free(cn);
	free(qn);
	free(ln);
	free(helper);
	free(fill);
	free(lhint);
}

/* ---- in place: nullable, check, unique, references, default, comment ---- */

/* The fill trigger: a writer that leaves the column NULL, or breaks the
 * check, gets `up`. */
static char *
fill_body(const struct alter_column *a, const char *qc)
{
	struct strbuf cond = STRBUF_INIT;
	char *e = ops_row_expr(a->up), *body;

	if (a->has_nullable && !a->nullable)
		sb_printf(&cond, "NEW.%s IS NULL", qc);
	if (a->check) {
		char *not = xasprintf("NOT (%s)", a->check->constraint);
		char *ne = ops_row_expr(not);

		sb_printf(&cond, "%s%s", cond.len ? " OR " : "", ne);
		free(ne);
		free(not);
	}
	body = xasprintf("  IF %s THEN\n"
			 "    NEW.%s := %s;\n"
			 "  END IF;\n",
			 cond.buf, qc, e);
	sb_free(&cond);
	free(e);
	return body;
}

/*
 * In place, `up` serves nullable: false and check only, and `down` nothing:
 * pgroll, whose files load unchanged, duplicates the column for these too
 * and needs them; here the column itself changes and there is no old
 * version to convert back to.
 */
static void
compile_in_place(struct compile_ctx *cc, const struct alter_column *a)
{
	const char *table = a->table, *col = a->column;
	char *qc = sql_ident(col);
	bool not_null = a->has_nullable && !a->nullable;
	bool fill = a->up && (not_null || a->check);
	char *stash = NULL;

	if ((a->has_nullable && a->nullable) || a->has_default || a->has_comment) {
		stash = alter_column_stash_key(cc, table, col);
		alter_column_emit_stash(cc, table, col, stash);
	}
	if (a->has_nullable && a->nullable)
		/* its rollbacks write down */
		alter_column_emit_drop_not_null(cc, table, col, stash, a->down,
						a->down ? " (down gives NULL for them)"
						: "; give down, the value for them, or fill them by hand",
						xasprintf("drop NOT NULL of %s", col));
	if (a->has_default)
		emit_plan_sql(cc, PHASE_EXPAND, table,
		     a->default_ ? xasprintf("set default of %s", col) : xasprintf("drop default of %s", col),
		     a->default_ ? alter_table(cc, table, "ALTER COLUMN %s SET DEFAULT (%s)", qc, a->default_)
		     : alter_table(cc, table, "ALTER COLUMN %s DROP DEFAULT", qc),
		     restore_sql(cc, table, col, stash, RESTORE_DEFAULT));
	if (a->has_comment)
		compile_emit(cc, PHASE_EXPAND, table,
		     a->comment ? xasprintf("comment on %s.%s", table, col) : xasprintf("remove the comment on %s.%s", table, col),
		     alter_column_comment_sql(cc, table, col, a->comment), restore_sql(cc, table, col, stash, RESTORE_COMMENT));

	/* Writers are fixed by the trigger before the constraints can refuse them. */
	if (fill) {
		char *name = sql_helper_name(table, col, "alter");
		char *body = fill_body(a, qc);
		struct strbuf where = STRBUF_INIT;

		emit_sync_trigger(cc, PHASE_EXPAND, PHASE_CONTRACT, table, name, "INSERT OR UPDATE", body,
				  not_null && a->check ? "fills NULLs and values the check refuses"
				  : not_null ? "fills NULLs" : "replaces values the check refuses");
		free(body);
		free(name);
		if (not_null)
			sb_printf(&where, "%s IS NULL", qc);
		if (a->check)
			sb_printf(&where, "%sNOT (%s)", where.len ? " OR " : "", a->check->constraint);
		emit_backfill(cc, xasprintf("backfill %s.%s where %s", table, col,
					    not_null && a->check ? "NULL or refused by the check"
					    : not_null ? "NULL" : "refused by the check"),
			      (struct backfill) {
				      .table = xstrdup(table),
				      .set_sql = xasprintf("%s = (%s)", qc, a->up),
				      .where_sql = xstrdup(where.buf),
				      .unconverted_sql = sb_steal(&where),
			      });
	}

	/* Constraints: NOT VALID (a CHECK only once the backfill is done), then
	 * validated in switch. */
	if (not_null) {
		char *cn = sql_helper_name(table, col, "notnull");

		/* in switch, after the backfill: see emit_constraint_not_valid */
		emit_not_null_via_check(cc, PHASE_SWITCH, table, col, cn);
		free(cn);
	}
	if (a->check) {
		char *cn = a->check->name ? xstrdup(a->check->name) : sql_pg_name(table, col, "check");
		char *def = column_check_sql(a->check);

		/* with up, a backfill fixes the rows first: see emit_constraint_not_valid */
		emit_constraint_not_valid(cc, a->up ? PHASE_SWITCH : PHASE_EXPAND, table, cn, "check", def);
		free(def);
		free(cn);
	}
	if (a->references) {
		char *cn = a->references->name ? xstrdup(a->references->name) : sql_pg_name(table, col, "fkey");
		char *fk = column_fk_sql(plan_schema(cc->plan), col, a->references);

		emit_foreign_key_not_valid(cc, PHASE_EXPAND, table, cn, fk, a->references->table);
		free(fk);
		free(cn);
	}
	if (a->unique.on) {
		char *in = a->unique.name ? xstrdup(a->unique.name) : sql_pg_name(table, col, "key");

		emit_unique_using_index(cc, PHASE_EXPAND, table, col, in);
		free(in);
	}

	free(stash);
	free(qc);
}

static void
compile(struct compile_ctx *cc, const void *data)
{
	const struct alter_column *a = data;

	if (a->type)
		alter_column_compile_type(cc, a);
	else if (a->name)
		compile_rename_column(cc, a->table, a->column, a->name, a->comment);
	else
		compile_in_place(cc, a);
}

const struct op_kind op_alter_column = {
	.name = "alter_column",
	.size = sizeof(struct alter_column),
	.fields = fields,
	.validate = validate,
	.compile = compile,
};
