#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../sql.h"
#include "../strbuf.h"
#include "../xalloc.h"
#include "helpers.h"

char *
row_expr(const char *expr)
{
	/* NEW.* becomes a one-row relation whose columns the expression can
	 * name directly, exactly as in the backfill's UPDATE. */
	return xasprintf("(SELECT (%s) FROM (SELECT NEW.*) AS _pgstep_row)", expr);
}

char *
alter_table(const char *table, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	char *t = sql_ident(table);
	va_list ap;

	sb_printf(&sb, "ALTER TABLE %s ", t);
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	free(t);
	return sb_steal(&sb);
}

/* A dollar-quote tag that the body does not contain. */
static char *
dollar_tag(const char *body)
{
	char *tag = xstrdup("$pgstep$");

	for (int i = 1; strstr(body, tag); i++) {
		free(tag);
		tag = xasprintf("$pgstep%d$", i);
	}
	return tag;
}

void
emit_sync_trigger(struct compile_ctx *cc, enum phase ph, enum phase drop_in, const char *table,
		  const char *name, const char *events, const char *body, const char *what)
{
	char *fn = sql_ident(name);
	char *t = sql_ident(table);
	char *tag = dollar_tag(body);
	char *create_fn = xasprintf(
		"CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS %s\n"
		"#variable_conflict use_variable\n"
		"BEGIN\n%s"
		"  RETURN NEW;\n"
		"END\n%s",
		fn, tag, body, tag);
	char *create_trg = xasprintf(
		"CREATE TRIGGER %s BEFORE %s ON %s FOR EACH ROW "
		"WHEN (current_setting('" BACKFILL_GUC "', true) IS DISTINCT FROM 'on') "
		"EXECUTE FUNCTION %s()",
		fn, events, t, fn);
	char *drop_fn = xasprintf("DROP FUNCTION IF EXISTS %s()", fn);
	char *drop_trg = xasprintf("DROP TRIGGER IF EXISTS %s ON %s", fn, t);

	emit(cc, ph, NULL, xasprintf("create function %s (%s)", name, what), xstrdup(create_fn),
	     xstrdup(drop_fn));
	emit(cc, ph, table, xasprintf("create trigger %s on %s", name, table), xstrdup(create_trg),
	     xstrdup(drop_trg));
	if (drop_in != N_PHASES) {
		emit(cc, drop_in, table, xasprintf("drop trigger %s on %s", name, table), xstrdup(drop_trg),
		     xstrdup(create_trg));
		emit(cc, drop_in, NULL, xasprintf("drop function %s", name), xstrdup(drop_fn),
		     xstrdup(create_fn));
	}
	free(create_fn);
	free(create_trg);
	free(drop_fn);
	free(drop_trg);
	free(tag);
	free(fn);
	free(t);
}
