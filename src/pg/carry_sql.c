/* Carrying a column's definitions to the column that replaces it, as text
 * (engine/carry.h runs the step): PostgreSQL's definitions rewritten
 * token by token with its scanner, and the keys under which a carry step
 * saves what it carried. Shared by the operations' compilers, which write
 * the carry's guard and finish, and the engine, which runs it. */
#include "config.h"

#include <json-c/json.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "pg/carry_sql.h"
#include "pg/pgparse.h"
#include "pg/sql.h"

/* ---- rewriting definitions, offline ---- */

static bool
token_is(const char *text, const struct pg_token *tk, const char *word)
{
	size_t n = (size_t) (tk->end - tk->start);

	return strlen(word) == n && strncmp(text + tk->start, word, n) == 0;
}

/* A name as quote_ident() writes it, where the column's name is meant:
 * not a function's (followed by "("), not a qualified part (after "."). */
static bool
is_column(const char *text, const struct pg_tokens *t, size_t i, const char *quoted)
{
	const struct pg_token *tk = &t->v[i];

	if (tk->token != PG_QUERY__TOKEN__IDENT && tk->keyword == PG_QUERY__KEYWORD_KIND__NO_KEYWORD)
		return false;
	if (!token_is(text, tk, quoted))
		return false;
	if (i + 1 < t->n && token_is(text, &t->v[i + 1], "("))
		return false;
	if (i > 0 && token_is(text, &t->v[i - 1], "."))
		return false;
	return true;
}

/* Copies text, from token `first` to `last` (exclusive) replacing each
 * reference to `from` with `to`, into sb; `pos` is where copying stands. */
static void
replace_between(struct strbuf *sb, const char *text, const struct pg_tokens *t, size_t first, size_t last,
		const char *from, const char *to, int *pos)
{
	for (size_t i = first; i < last; i++) {
		const struct pg_token *tk = &t->v[i];

		if (!is_column(text, t, i, from))
			continue;
		sb_printf(sb, "%.*s%s", tk->start - *pos, text + *pos, to);
		*pos = tk->end;
	}
}

/* The tokens of a definition; false when it does not scan. */
static bool
scan(const char *text, struct pg_tokens *t)
{
	char *error;
	bool ok = sql_scan(text, t, &error);

	free(error);
	return ok;
}

char *
carry_index_sql(const char *indexdef, const char *from, const char *to, const char *name)
{
	struct pg_tokens t;
	struct strbuf sb = STRBUF_INIT;
	size_t idx = 0, using = 0;
	int pos;

	if (!scan(indexdef, &t)) {
		pg_tokens_free(&t);
		return NULL;
	}
	/* CREATE [UNIQUE] INDEX name ON table USING method (...) */
	for (size_t i = 0; i < t.n && !using; i++) {
		if (!idx && token_is(indexdef, &t.v[i], "INDEX"))
			idx = i;
		else if (idx && token_is(indexdef, &t.v[i], "USING"))
			using = i;
	}
	if (!idx || !using || idx + 1 >= t.n || using + 1 >= t.n) {
		pg_tokens_free(&t);
		return NULL;
	}
	sb_printf(&sb, "%.*s CONCURRENTLY IF NOT EXISTS %s", t.v[idx].end, indexdef, name);
	pos = t.v[idx + 1].end;
	replace_between(&sb, indexdef, &t, using + 2, t.n, from, to, &pos);
	sb_puts(&sb, indexdef + pos);
	pg_tokens_free(&t);
	return sb_steal(&sb);
}

char *
carry_constraint_sql(const char *def, char contype, const char *from, const char *to)
{
	struct pg_tokens t;
	struct strbuf sb = STRBUF_INIT;
	size_t last;
	int pos = 0;

	if (!scan(def, &t)) {
		pg_tokens_free(&t);
		return NULL;
	}
	last = t.n;
	if (contype == 'f')
		for (size_t i = 0; i < t.n; i++)
			if (token_is(def, &t.v[i], "REFERENCES")) {
				last = i;
				break;
			}
	replace_between(&sb, def, &t, 0, last, from, to, &pos);
	sb_puts(&sb, def + pos);
	pg_tokens_free(&t);
	return sb_steal(&sb);
}

/* The token before or after i that is not a comment, or NULL. */
static const struct pg_token *
neighbour(const struct pg_tokens *t, size_t i, int dir)
{
	for (size_t j = i; dir < 0 ? j-- > 0 : ++j < t->n;)
		if (!t->v[j].comment)
			return &t->v[j];
	return NULL;
}

/* Whether token i names the column `name` where a column can stand: an
 * identifier or a keyword allowed as a column name, folded to lower case
 * as PostgreSQL folds it, or quoted; not a function's name (before "("),
 * not a qualified part or a field (after "."), not a type (after "::" or
 * AS). */
static bool
names_column(const char *text, const struct pg_tokens *t, size_t i, const char *name)
{
	const struct pg_token *tk = &t->v[i], *prev = neighbour(t, i, -1), *next = neighbour(t, i, 1);
	const char *s = text + tk->start;
	size_t n = (size_t) (tk->end - tk->start), len = strlen(name), k = 0;

	if (tk->comment || (next && token_is(text, next, "(")))
		return false;
	if (prev && (token_is(text, prev, ".") || prev->token == PG_QUERY__TOKEN__TYPECAST ||
		     prev->token == PG_QUERY__TOKEN__AS))
		return false;
	if (tk->token == PG_QUERY__TOKEN__IDENT && s[0] == '"') {
		for (size_t j = 1; j + 1 < n; j++, k++) {
			if (k >= len || s[j] != name[k])
				return false;
			if (s[j] == '"')
				j++;	/* "" stands for one " */
		}
		return k == len;
	}
	if (tk->token != PG_QUERY__TOKEN__IDENT && tk->keyword != PG_QUERY__KEYWORD_KIND__UNRESERVED_KEYWORD &&
	    tk->keyword != PG_QUERY__KEYWORD_KIND__COL_NAME_KEYWORD)
		return false;
	if (n != len)
		return false;
	for (size_t j = 0; j < n; j++)
		if ((s[j] >= 'A' && s[j] <= 'Z' ? s[j] - 'A' + 'a' : s[j]) != name[j])
			return false;
	return true;
}

char *
carry_expr_sql(const char *expr, const char *const *from, size_t nfrom, const char *to)
{
	struct pg_tokens t;
	struct strbuf sb = STRBUF_INIT;
	char *qto = sql_ident(to);
	int pos = 0;

	if (!scan(expr, &t)) {
		pg_tokens_free(&t);
		free(qto);
		return NULL;
	}
	for (size_t i = 0; i < t.n; i++)
		for (size_t f = 0; f < nfrom; f++)
			if (names_column(expr, &t, i, from[f])) {
				sb_printf(&sb, "%.*s%s", t.v[i].start - pos, expr + pos, qto);
				pos = t.v[i].end;
				break;
			}
	sb_puts(&sb, expr + pos);
	pg_tokens_free(&t);
	free(qto);
	return sb_steal(&sb);
}

char *
carry_key_prefix(const char *table, const char *to)
{
	return xasprintf("carry:%s.%s:", table, to);
}

