/* alter_column: a rename, a type change through a shadow column (which
 * takes the plan's constraints, default and comment too), or constraints,
 * a default and a comment changed in place, without long locks. pgroll's
 * field names. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../carry.h"
#include "../colrefs.h"
#include "../ops.h"
#include "../sql.h"
#include "../strbuf.h"
#include "../xalloc.h"
#include "column.h"
#include "helpers.h"
#include "rename.h"
#include "versioned.h"

struct unique_spec {
	bool on;
	char *name;		/* constraint and index name; generated when absent */
};

struct alter_column {
	char *table;
	char *column;
	char *name;		/* the new name */
	char *type;		/* the new type */
	char *up;
	char *down;
	bool nullable;
	bool has_nullable;
	struct col_check *check;
	struct unique_spec unique;
	struct col_ref *references;
	char *default_;		/* NULL with has_default: DROP DEFAULT */
	bool has_default;
	char *comment;		/* NULL with has_comment: the comment removed */
	bool has_comment;
};

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
	{.key = "up", .type = F_STR, .offset = A(up)},
	{.key = "down", .type = F_STR, .offset = A(down)},
	{.key = "nullable", .type = F_BOOL, .offset = A(nullable), .has = FHAS(struct alter_column, has_nullable)},
	{.key = "check", .type = F_CUSTOM, .offset = A(check), .parse = col_check_parse, .free = col_check_free},
	{.key = "unique", .type = F_CUSTOM, .offset = A(unique), .parse = unique_parse, .free = unique_free},
	{.key = "references", .type = F_CUSTOM, .offset = A(references), .parse = col_ref_parse,
	 .free = col_ref_free},
	{.key = "default", .type = F_CUSTOM, .offset = A(default_), .has = FHAS(struct alter_column, has_default),
	 .parse = default_parse, .free = str_free},
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

/* The names a check may call the column by: its own, and the new one. */
static size_t
check_names(const struct alter_column *a, const char *names[2])
{
	names[0] = a->column;
	names[1] = a->name;
	return a->name ? 2 : 1;
}

/* The plan's check over the column `to` that replaces the column; NULL
 * when it still names the column after that (qualified, t.col: the
 * constraint would stay on the old column and go with it) or does not
 * parse. */
static char *
shadow_check_expr(const struct alter_column *a, const char *to)
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
		char *moved = a->check ? shadow_check_expr(a, "_pgstep_new") : NULL;

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

static char *
comment_sql(const struct compile_ctx *cc, const char *table, const char *column, const char *comment)
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
 * had anything to drop), so the first step saves the column's state in
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
		"                                       'comment', pg_catalog.col_description(a.attrelid, a.attnum))\n"
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
	char *get = saved_get_sql(cc, key);
	char *sql = xasprintf("%s::jsonb", get);

	free(get);
	return sql;
}

/* The key the column's state is saved under. */
static char *
stash_key(const struct compile_ctx *cc, const char *table, const char *column)
{
	return xasprintf("%d:%s.%s:was", cc->op_index, table, column);
}

/* The step that saves it; its rollback forgets it. */
static void
emit_stash(struct compile_ctx *cc, const char *table, const char *column, const char *key)
{
	char *m = sql_literal(cc->plan->name), *lk = sql_literal(key);

	emit(cc, PHASE_EXPAND, NULL, xasprintf("save the state of %s.%s for rollbacks", table, column),
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

/*
 * The rollback of DROP NOT NULL: NOT NULL again if the column had it. The
 * rows written NULL while the migration was open get `down` first (pgroll
 * writes down into the old column for them); without down, or where down
 * gives NULL too, the rollback stops with the count rather than fail on
 * SET NOT NULL's own message.
 */
static char *
restore_not_null_sql(const struct compile_ctx *cc, const char *table, const char *column, const char *key,
		     const char *down)
{
	char *t = plan_qualified(cc->plan, table), *c = sql_ident(column), *qs = stashed(cc, key);
	char *lt = sql_literal(table), *lc = sql_literal(column);
	char *fill = down ? xasprintf("    UPDATE %s SET %s = (%s) WHERE %s IS NULL;\n", t, c, down, c) : xstrdup("");
	char *body = xasprintf("\nDECLARE\n"
			       "  nulls bigint;\n"
			       "BEGIN\n"
			       "  IF (%s ->> 'notnull')::boolean THEN\n"
			       "%s"
			       "    SELECT pg_catalog.count(*) INTO nulls FROM %s WHERE %s IS NULL;\n"
			       "    IF nulls > 0 THEN\n"
			       "      RAISE EXCEPTION 'cannot make %%.%% NOT NULL again: %% row(s) written while the migration was open are NULL%%', %s, %s, nulls,\n"
			       "        %s;\n"
			       "    END IF;\n"
			       "    ALTER TABLE %s ALTER COLUMN %s SET NOT NULL;\n"
			       "  END IF;\n"
			       "END\n",
			       qs, fill, t, c, lt, lc,
			       down ? "' (down gives NULL for them)'" : "'; give down, the value for them, or fill them by hand'",
			       t, c);
	char *sql = do_block(body);

	free(body);
	free(fill);
	free(t);
	free(c);
	free(qs);
	free(lt);
	free(lc);
	return sql;
}

/* ---- type: a shadow column, a two-way trigger and a rename swap ---- */

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
	char *up = row_expr(a->up), *down = row_expr(a->down);
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
	char *sql = back ? xasprintf("ALTER TABLE %s RENAME COLUMN %s TO %s;\n%s%s", sh->t, sh->f, sh->qs, old, fn)
		: xasprintf("%sALTER TABLE %s RENAME COLUMN %s TO %s;\n%s", old, sh->t, sh->qs, sh->f, fn);

	free(old);
	free(fn);
	return sql;
}

/* With a versioned schema nothing is swapped: the new application writes
 * the shadow through its view, the old one the old column, and the first
 * schema on the writer's search_path says which. */
static char *
versioned_body(const struct compile_ctx *cc, const struct shadow *sh, const struct alter_column *a)
{
	char *up = row_expr(a->up), *down = row_expr(a->down), *writer = versioned_writer_sql(cc);
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
		emit(cc, ph, a->table, xasprintf("give %s the default of %s, if any", to, from),
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
 * VALIDATE of the plan's check on the new column. It refuses rows only
 * where `up` gave a value the check does not accept (the backfill counted
 * them as not converted): the plan contradicts itself, and nothing is
 * changed to hide it. The stop says so, with the count, instead of
 * PostgreSQL's "violated by some row".
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
		"  RAISE EXCEPTION 'up and the check disagree: for %% row(s) of %%, up gives a value that check %% refuses (the backfill counted them as not converted); change up, or those rows, so that the check accepts what up gives',\n"
		"    refused, %s, %s;\n"
		"END\n",
		t, qn, t, expr, lt, ln);
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

#define PG_NAME_TRIES 10

/*
 * Contract: a constraint the plan does not name takes the name PostgreSQL
 * would give it once the old column is gone and what was carried has its
 * names back, as ChooseConstraintName and ChooseRelationName do: the first
 * of <table>_<name2>_<label>, ..._<label>1, ... that no constraint in the
 * schema has (nor a relation, for an index). One statement, ending ";\n".
 */
static char *
pg_name_sql(const struct compile_ctx *cc, const char *table, const char *helper, const char *name2,
	    const char *label, const struct shadow *index_of)
{
	char *t = plan_qualified(cc->plan, table), *rel = sql_literal(t), *lh = sql_literal(helper);
	char *ls = sql_literal(plan_schema(cc->plan));
	struct strbuf tries = STRBUF_INIT;
	char *body, *sql, *then;
	bool index = index_of != NULL;

	for (int i = 0; i < PG_NAME_TRIES; i++) {
		char *l = i ? xasprintf("%s%d", label, i) : xstrdup(label);
		char *name = sql_pg_name(table, name2, l), *lit = sql_literal(name);

		sb_printf(&tries, "%s%s", i ? ", " : "", lit);
		free(lit);
		free(name);
		free(l);
	}
	if (index) {
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
		index ? "\n       AND NOT EXISTS (SELECT FROM pg_catalog.pg_class WHERE relnamespace = ns AND relname = c)" : "",
		rel, lh, then, PG_NAME_TRIES, lh, rel);
	sql = do_block(body);
	free(body);
	free(then);
	free(ls);
	sb_free(&tries);
	free(t);
	free(rel);
	free(lh);
	return xasprintf("%s;\n", sql);
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
		char *e = shadow_check_expr(a, sh->s);	/* validate() saw it move */
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

	emit_replaced_column_drop(cc, table, sh->fn,
				  xasprintf("drop trigger %s and the old column, %s becomes %s; what was carried takes its names",
					    sh->fn, sh->s, sh->final),
				  sh->c, rename, sh->s, sh->final, after);
	free(rename);
}

static void
compile_type(struct compile_ctx *cc, const struct alter_column *a)
{
	const char *table = a->table;
	struct shadow sh = {.final = a->name ? a->name : a->column, .renamed = a->name != NULL};
	struct strbuf after = STRBUF_INIT, bad = STRBUF_INIT;
	char *stash = NULL;
	char *body;
	bool v = versioned(cc);
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
	emit(cc, PHASE_EXPAND, table, xasprintf("check that what hangs on %s.%s can follow it", table, a->column),
	     carry_guard_sql(cc, table, a->column, "alter_column"), NULL);
	emit_plan_sql(cc, PHASE_EXPAND, table, xasprintf("add shadow column %s %s to %s", sh.s, a->type, table),
	     alter_table(cc, table, "ADD COLUMN %s %s", sh.qs, a->type),
	     alter_table(cc, table, "DROP COLUMN IF EXISTS %s", sh.qs));
	if (a->comment)
		emit(cc, PHASE_EXPAND, table, xasprintf("comment on %s.%s", table, sh.s),
		     comment_sql(cc, table, sh.s, a->comment), comment_sql(cc, table, sh.s, NULL));
	else if (!a->has_comment)
		emit(cc, PHASE_EXPAND, table, xasprintf("give %s the comment of %s, if any", sh.s, a->column),
		     copy_comment_sql(cc, table, a->column, sh.s), comment_sql(cc, table, sh.s, NULL));
	/* After the swap, the old column takes down of what the application
	 * writes into the new one, which may now be NULL; a rollback makes it
	 * NOT NULL again only if it was. */
	if (a->has_nullable && a->nullable) {
		stash = stash_key(cc, table, a->column);
		emit_stash(cc, table, a->column, stash);
		emit(cc, PHASE_EXPAND, table, xasprintf("drop NOT NULL of %s (the new column may be NULL)", a->column),
		     alter_table(cc, table, "ALTER COLUMN %s DROP NOT NULL", sh.c),
		     restore_not_null_sql(cc, table, a->column, stash, NULL));
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
		char *e = shadow_check_expr(a, sh.s);

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

/* ---- in place: nullable, check, unique, references, default, comment ---- */

/* The fill trigger: a writer that leaves the column NULL, or breaks the
 * check, gets `up`. */
static char *
fill_body(const struct alter_column *a, const char *qc)
{
	struct strbuf cond = STRBUF_INIT;
	char *e = row_expr(a->up), *body;

	if (a->has_nullable && !a->nullable)
		sb_printf(&cond, "NEW.%s IS NULL", qc);
	if (a->check) {
		char *not = xasprintf("NOT (%s)", a->check->constraint);
		char *ne = row_expr(not);

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
		stash = stash_key(cc, table, col);
		emit_stash(cc, table, col, stash);
	}
	if (a->has_nullable && a->nullable)
		/* its rollback writes down */
		emit_plan_sql(cc, PHASE_EXPAND, table, xasprintf("drop NOT NULL of %s", col),
		     alter_table(cc, table, "ALTER COLUMN %s DROP NOT NULL", qc),
		     restore_not_null_sql(cc, table, col, stash, a->down));
	if (a->has_default)
		emit_plan_sql(cc, PHASE_EXPAND, table,
		     a->default_ ? xasprintf("set default of %s", col) : xasprintf("drop default of %s", col),
		     a->default_ ? alter_table(cc, table, "ALTER COLUMN %s SET DEFAULT (%s)", qc, a->default_)
		     : alter_table(cc, table, "ALTER COLUMN %s DROP DEFAULT", qc),
		     restore_sql(cc, table, col, stash, RESTORE_DEFAULT));
	if (a->has_comment)
		emit(cc, PHASE_EXPAND, table,
		     a->comment ? xasprintf("comment on %s.%s", table, col) : xasprintf("remove the comment on %s.%s", table, col),
		     comment_sql(cc, table, col, a->comment), restore_sql(cc, table, col, stash, RESTORE_COMMENT));

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
		compile_type(cc, a);
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
