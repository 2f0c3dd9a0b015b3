/* convert: the text of a statement taken back out of the file by the
 * scanner's tokens (the tree says where a node starts, not where it
 * ends), the pieces of the tree the converters share, and names. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <pg_query/pg_query.pb-c.h>

#include "convert/convert_int.h"
#include "pg/sql.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

/* ---- the statement's text, by its tokens ---- */

size_t
tok_at(const struct cv *cv, int at)
{
	for (size_t i = cv->t0; i < cv->t1; i++)
		if (cv->tok.v[i].start >= at)
			return i;
	return cv->t1;
}

bool
tok_is(const struct cv *cv, size_t i, int id)
{
	return i < cv->t1 && cv->tok.v[i].token == id;
}

/* The change of nesting at token i: +1 for ( and [, -1 for ) and ]. */
static int
nesting(const struct cv *cv, size_t i)
{
	int t = cv->tok.v[i].token;

	return t == '(' || t == '[' ? 1 : t == ')' || t == ']' ? -1 : 0;
}

size_t
tok_find(const struct cv *cv, size_t a, size_t b, int id)
{
	int depth = 0;

	for (size_t i = a; i < b && i < cv->t1; i++) {
		if (depth == 0 && cv->tok.v[i].token == id)
			return i;
		depth += nesting(cv, i);
		if (depth < 0)
			return b;
	}
	return b;
}

size_t
tok_close(const struct cv *cv, size_t i, size_t b)
{
	int depth = 0;

	if (!tok_is(cv, i, '('))
		return b;
	for (size_t j = i; j < b && j < cv->t1; j++) {
		depth += nesting(cv, j);
		if (depth == 0)
			return j;
	}
	return b;
}

size_t
tok_element_end(const struct cv *cv, size_t a, size_t b)
{
	int depth = 0;

	for (size_t i = a; i < b && i < cv->t1; i++) {
		if (depth == 0 && cv->tok.v[i].token == ',')
			return i;
		depth += nesting(cv, i);
		if (depth < 0)
			return i;
	}
	return b;
}

size_t
tok_split(const struct cv *cv, size_t a, size_t b, size_t **starts, size_t **ends)
{
	size_t n = 0, cap = 4;

	*starts = xcalloc(cap, sizeof(size_t));
	*ends = xcalloc(cap, sizeof(size_t));
	while (a <= b) {
		size_t e = tok_element_end(cv, a, b);

		if (n == cap) {
			cap *= 2;
			*starts = xrealloc(*starts, cap * sizeof(size_t));
			*ends = xrealloc(*ends, cap * sizeof(size_t));
		}
		(*starts)[n] = a;
		(*ends)[n++] = e;
		if (e >= b || !tok_is(cv, e, ','))
			break;
		a = e + 1;
	}
	return n;
}

/* CR LF line ends become LF, as a plan holds them (pgstep refuses a CR,
 * which a terminal would not show). */
static char *
lf_only(char *s)
{
	char *w = s;

	for (const char *r = s; *r; r++)
		if (!(r[0] == '\r' && r[1] == '\n'))
			*w++ = *r;
	*w = '\0';
	return s;
}

char *
tok_text(const struct cv *cv, size_t a, size_t b)
{
	struct strbuf sb = STRBUF_INIT;
	const struct pg_token *prev = NULL;
	bool comment = false;

	for (size_t i = a; i < b && i < cv->t1; i++) {
		const struct pg_token *t = &cv->tok.v[i];

		if (t->comment) {
			comment = true;
			continue;
		}
		if (prev) {
			size_t gap = (size_t) (t->start - prev->end);

			if (comment || memchr(cv->sql + prev->end, '\n', gap))
				sb_puts(&sb, " ");
			else
				sb_printf(&sb, "%.*s", (int) gap, cv->sql + prev->end);
		}
		sb_printf(&sb, "%.*s", t->end - t->start, cv->sql + t->start);
		prev = t;
		comment = false;
	}
	return prev ? lf_only(sb_steal(&sb)) : NULL;
}

char *
tok_verbatim(const struct cv *cv, size_t a, size_t b)
{
	if (b > cv->t1)
		b = cv->t1;
	while (a < b && cv->tok.v[a].comment)
		a++;
	while (b > a && cv->tok.v[b - 1].comment)
		b--;
	if (a >= b)
		return xstrdup("");
	return lf_only(xstrndup(cv->sql + cv->tok.v[a].start, (size_t) (cv->tok.v[b - 1].end - cv->tok.v[a].start)));
}

char *
paren_text(const struct cv *cv, size_t i, size_t b)
{
	size_t j = tok_close(cv, i, b);

	return j < b ? tok_text(cv, i + 1, j) : NULL;
}

char *
leading_words(const struct cv *cv, size_t a, size_t b)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0;

	for (size_t i = a; i < b && i < cv->t1 && n < 3; i++) {
		const struct pg_token *t = &cv->tok.v[i];

		if (t->comment)
			continue;
		if (!t->keyword)
			break;
		sb_puts(&sb, n++ ? " " : "");
		for (int c = t->start; c < t->end; c++)
			sb_printf(&sb, "%c", toupper((unsigned char) cv->sql[c]));
	}
	return n ? sb_steal(&sb) : xstrdup("this statement");
}

/* ---- pieces of the tree ---- */

struct yv *
name_list(const struct strlist *l)
{
	struct yv *seq = yv_seq();

	for (size_t i = 0; i < l->n; i++)
		yv_push(seq, yv_str(l->v[i]));
	return seq;
}

const char *
contype(json_object *k)
{
	const char *t = jstr(k, "contype");

	return t ? t : "";
}

size_t
next_clause(const struct cv *cv, json_object *cd, int loc, size_t b)
{
	json_object *cons = jget(cd, "constraints");
	int next = -1;

	for (size_t i = 0; i < jlen(cons); i++) {
		int l = jint(node_as(jat(cons, i), "Constraint"), "location");

		if (l > loc && (next < 0 || l < next))
			next = l;
	}
	if (jget(cd, "collClause")) {
		int l = jint(jget(cd, "collClause"), "location");

		if (l > loc && (next < 0 || l < next))
			next = l;
	}
	return next < 0 ? b : tok_at(cv, next);
}

char *
column_type(const struct cv *cv, json_object *cd, size_t b)
{
	int loc = jint(jget(cd, "typeName"), "location");
	size_t i = tok_at(cv, loc);

	return tok_text(cv, i, next_clause(cv, cd, loc, b));
}

char *
default_text(const struct cv *cv, json_object *cd, json_object *k, size_t b)
{
	int loc = jint(k, "location");
	size_t end = next_clause(cv, cd, loc, b);
	size_t d = tok_find(cv, tok_at(cv, loc), end, PG_QUERY__TOKEN__DEFAULT);

	return d < end ? tok_text(cv, d + 1, end) : NULL;
}

/* ---- names ---- */

char *
ident_sql(const char *name)
{
	return ident_is_plain(name) ? xstrdup(name) : sql_ident(name);
}

char *
pg_object_name(const char *table, const struct strlist *names, const char *label)
{
	struct strbuf sb = STRBUF_INIT;
	char *name;

	/* PostgreSQL's ChooseIndexNameAddition: the names joined by _, until
	 * NAMEDATALEN bytes; makeObjectName then shortens it to fit */
	for (size_t i = 0; names && i < names->n && sb.len < 64; i++)
		sb_printf(&sb, "%s%.63s", i ? "_" : "", names->v[i]);
	name = sql_pg_name(table, sb.len ? sb.buf : NULL, label);
	sb_free(&sb);
	return name;
}

void
string_list(json_object *a, struct strlist *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < jlen(a); i++) {
		const char *s = string_node(jat(a, i));

		if (s)
			strlist_add(out, s);
	}
}

const char *
cv_relation(struct cv *cv, json_object *rv)
{
	const char *schema = jstr(rv, "schemaname"), *rel = jstr(rv, "relname");

	if (!rel || jstr(rv, "catalogname")) {
		cv_give_up(cv, "the table is not named by a plain name");
		return NULL;
	}
	if (schema && strcmp(schema, "public") != 0) {
		cv_give_up(cv, "%s.%s is in schema %s, and pgstep's operations name tables without a schema, through the search_path of pgstep's connection",
			   schema, rel, schema);
		return NULL;
	}
	if (schema)
		cv_note(cv, "public.%s is written %s: pgstep's operations find tables through the search_path of pgstep's connection",
			rel, rel);
	return rel;
}

/* ---- statements ---- */

size_t
after_relation(const struct cv *cv, json_object *rv)
{
	size_t i = tok_at(cv, jint(rv, "location")) + 1;

	while (tok_is(cv, i, '.') && i + 1 < cv->t1)
		i += 2;
	if (tok_is(cv, i, '*'))
		i++;
	if (tok_is(cv, i, ')'))	/* ONLY (name) */
		i++;
	return i;
}
