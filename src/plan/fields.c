#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "base/size.h"
#include "plan/fields.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

#define AT(obj, off, T) ((T *) ((char *) (obj) + (off)))

static bool
parse_bool(struct ydoc *y, yaml_node_t *n, const char *what, bool *out)
{
	const char *v;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
		ydoc_error(y, n, "%s must be true or false, not %s", what,
			   n->type == YAML_SCALAR_NODE ? "a quoted string" : ydoc_kind(n));
		return false;
	}
	v = (const char *) n->data.scalar.value;
	if (strcmp(v, "true") == 0 || strcmp(v, "True") == 0 || strcmp(v, "TRUE") == 0) {
		*out = true;
		return true;
	}
	if (strcmp(v, "false") == 0 || strcmp(v, "False") == 0 || strcmp(v, "FALSE") == 0) {
		*out = false;
		return true;
	}
	ydoc_error(y, n, "%s must be true or false, not \"%s\"", what, v);
	return false;
}

static bool
parse_int(struct ydoc *y, yaml_node_t *n, const char *what, int min, int max, int *out)
{
	const char *v = ydoc_scalar(y, n, what);
	char *end;
	long long x;

	if (!v)
		return false;
	x = strtoll(v, &end, 10);
	if (*v == '\0' || *end != '\0') {
		ydoc_error(y, n, "%s must be a whole number, not \"%s\"", what, v);
		return false;
	}
	if (x < min || x > max) {
		ydoc_error(y, n, "%s must be between %d and %d, not %s", what, min, max, v);
		return false;
	}
	*out = (int) x;
	return true;
}

static bool
parse_duration(struct ydoc *y, yaml_node_t *n, const char *what, int min, int max, int *out)
{
	const char *v = ydoc_scalar(y, n, what);
	char err[160], lo[32], hi[32];
	int ms;

	if (!v)
		return false;
	if (!duration_parse(v, &ms, err, sizeof(err))) {
		ydoc_error(y, n, "%s: %s", what, err);
		return false;
	}
	if (ms < min || ms > max) {
		duration_format(min, lo, sizeof(lo));
		duration_format(max, hi, sizeof(hi));
		ydoc_error(y, n, "%s must be between %s and %s, not %s", what, lo, hi, v);
		return false;
	}
	*out = ms;
	return true;
}

static bool
parse_size(struct ydoc *y, yaml_node_t *n, const char *what, int min, int64_t *out)
{
	const char *v = ydoc_scalar(y, n, what);
	char err[160], lo[32];
	int64_t bytes;

	if (!v)
		return false;
	if (!size_parse(v, &bytes, err, sizeof(err))) {
		ydoc_error(y, n, "%s: %s", what, err);
		return false;
	}
	if (bytes < min) {
		size_format(min, lo, sizeof(lo));
		ydoc_error(y, n, "%s must be at least %s, not %s", what, lo, v);
		return false;
	}
	*out = bytes;
	return true;
}

static bool
parse_strlist(struct ydoc *y, yaml_node_t *n, const char *what, bool idents, struct strlist *out)
{
	const char *(*scalar)(struct ydoc *, yaml_node_t *, const char *) = idents ? ydoc_ident : ydoc_scalar;
	const char *v;

	if (n->type == YAML_SCALAR_NODE) {
		if (!(v = scalar(y, n, what)))
			return false;
		out->v = xcalloc(1, sizeof(char *));
		out->v[0] = xstrdup(v);
		out->n = 1;
		return true;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		ydoc_error(y, n, "%s must be a list of strings, not %s", what, ydoc_kind(n));
		return false;
	}
	size_t cnt = (size_t) (n->data.sequence.items.top - n->data.sequence.items.start);
	bool ok = true;

	out->v = xcalloc(cnt ? cnt : 1, sizeof(char *));
	out->n = 0;
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *e = ydoc_node(y, *it);

		if (!(v = scalar(y, e, what))) {
			ok = false;
			continue;
		}
		out->v[out->n++] = xstrdup(v);
	}
	return ok;
}

bool
field_frag_ok(struct ydoc *y, yaml_node_t *n, const char *what, enum sql_frag kind, const char *text)
{
	char why[512];
	long offset;

	if (sql_frag_check(kind, text, why, sizeof(why), &offset))
		return true;
	if (offset >= 0)
		ydoc_error(y, n, "%s \"%s\" %s (at character %ld): pgstep writes it into its statements as %s, nothing else",
			   what, text, why, offset + 1, sql_frag_what(kind));
	else
		ydoc_error(y, n, "%s \"%s\" %s: pgstep writes it into its statements as %s, nothing else", what, text,
			   why, sql_frag_what(kind));
	return false;
}

static const struct field *
find_field(const struct field *fields, const char *key)
{
	for (const struct field *f = fields; f->key; f++)
		if (strcmp(f->key, key) == 0)
			return f;
	return NULL;
}

static void
report_unknown(struct ydoc *y, yaml_node_t *k, const char *key, const struct field *fields,
	       const struct field *extra, const char *what)
{
	struct strbuf sb = STRBUF_INIT;

	for (const struct field *f = fields; f->key; f++)
		sb_printf(&sb, "%s%s", f == fields ? "" : ", ", f->key);
	for (const struct field *f = extra; f && f->key; f++)
		sb_printf(&sb, "%s%s", sb.len ? ", " : "", f->key);
	ydoc_error(y, k, "unknown key \"%s\" in %s (expected one of: %s)", key, what, sb.buf ? sb.buf : "");
	sb_free(&sb);
}

bool
fields_parse(struct ydoc *y, yaml_node_t *map, const struct field *fields, void *obj,
	     const char *what)
{
	return fields_parse_with(y, map, fields, obj, what, NULL, NULL);
}

bool
fields_parse_with(struct ydoc *y, yaml_node_t *map, const struct field *fields, void *obj,
		  const char *what, const struct field *extra, void *extra_obj)
{
	size_t nfields = 0, nextra = 0;
	bool ok = true;

	if (map->type != YAML_MAPPING_NODE) {
		ydoc_error(y, map, "%s must be a mapping, not %s", what, ydoc_kind(map));
		return false;
	}
	for (const struct field *f = fields; f->key; f++)
		nfields++;
	for (const struct field *f = extra; f && f->key; f++)
		nextra++;

	/* seen[] holds the fields, then the extra ones */
	bool *seen = xcalloc(nfields + nextra ? nfields + nextra : 1, sizeof(bool));

	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ydoc_node(y, p->key);
		yaml_node_t *v = ydoc_node(y, p->value);
		const char *key;
		const struct field *f;
		char label[256];
		bool fok = true;
		void *o = obj;
		size_t idx;

		if (!(key = ydoc_scalar(y, k, "a key"))) {
			ok = false;
			continue;
		}
		if ((f = find_field(fields, key)))
			idx = (size_t) (f - fields);
		else if (extra && (f = find_field(extra, key))) {
			idx = nfields + (size_t) (f - extra);
			o = extra_obj;
		} else {
			report_unknown(y, k, key, fields, extra, what);
			ok = false;
			continue;
		}
		if (seen[idx]) {
			ydoc_error(y, k, "duplicate key \"%s\" in %s", key, what);
			ok = false;
			continue;
		}
		seen[idx] = true;
		snprintf(label, sizeof(label), "%s.%s", what, key);
		switch (f->type) {
		case F_STR:
		case F_IDENT:
		case F_FRAG: {
			const char *s = f->type == F_IDENT ? ydoc_ident(y, v, label) : ydoc_scalar(y, v, label);

			if (s && (f->type != F_FRAG || field_frag_ok(y, v, label, f->frag, s)))
				*AT(o, f->offset, char *) = xstrdup(s);
			else
				fok = false;
			break;
		}
		case F_BOOL:
			fok = parse_bool(y, v, label, AT(o, f->offset, bool));
			break;
		case F_INT:
			fok = parse_int(y, v, label, f->min, f->max, AT(o, f->offset, int));
			break;
		case F_DURATION:
			fok = parse_duration(y, v, label, f->min, f->max, AT(o, f->offset, int));
			break;
		case F_SIZE:
			fok = parse_size(y, v, label, f->min, AT(o, f->offset, int64_t));
			break;
		case F_STRLIST:
		case F_IDENTLIST:
			fok = parse_strlist(y, v, label, f->type == F_IDENTLIST, AT(o, f->offset, struct strlist));
			break;
		case F_CUSTOM:
			fok = f->parse(y, v, AT(o, f->offset, void));
			break;
		}
		if (fok && f->has)
			*AT(o, f->has - 1, bool) = true;
		ok = ok && fok;
	}
	for (const struct field *f = fields; f->key; f++) {
		if (f->required && !seen[f - fields]) {
			ydoc_error(y, map, "%s is missing the required key \"%s\"", what, f->key);
			ok = false;
		}
	}
	for (const struct field *f = extra; f && f->key; f++) {
		if (f->required && !seen[nfields + (size_t) (f - extra)]) {
			ydoc_error(y, map, "%s is missing the required key \"%s\"", what, f->key);
			ok = false;
		}
	}
	free(seen);
	return ok;
}

void
fields_format(const struct field *f, const void *obj, char *buf, size_t len)
{
	const void *v = (const char *) obj + f->offset;

	buf[0] = '\0';
	switch (f->type) {
	case F_STR:
	case F_IDENT:
	case F_FRAG:
		snprintf(buf, len, "%s", *(char *const *) v ? *(char *const *) v : "");
		break;
	case F_BOOL:
		snprintf(buf, len, "%s", *(const bool *) v ? "true" : "false");
		break;
	case F_INT:
		snprintf(buf, len, "%d", *(const int *) v);
		break;
	case F_DURATION:
		duration_format(*(const int *) v, buf, len);
		break;
	case F_SIZE:
		size_format(*(const int64_t *) v, buf, len);
		break;
	case F_CUSTOM:
		if (f->format)
			f->format(v, buf, len);
		break;
	case F_STRLIST:
	case F_IDENTLIST:
		break;
	}
}

void
fields_free(const struct field *fields, void *obj)
{
	for (const struct field *f = fields; f->key; f++) {
		switch (f->type) {
		case F_STR:
		case F_IDENT:
		case F_FRAG:
			free(*AT(obj, f->offset, char *));
			*AT(obj, f->offset, char *) = NULL;
			break;
		case F_STRLIST:
		case F_IDENTLIST:
			strlist_free(AT(obj, f->offset, struct strlist));
			break;
		case F_CUSTOM:
			if (f->free)
				f->free(AT(obj, f->offset, void));
			break;
		default:
			break;
		}
	}
}

enum field_sql
fields_sql_at(const struct field *fields, const char *path)
{
	const char *dot = strchr(path, '.');
	size_t n = dot ? (size_t) (dot - path) : strlen(path);

	for (const struct field *f = fields; f && f->key; f++) {
		if (strlen(f->key) != n || strncmp(f->key, path, n) != 0)
			continue;
		if (!dot)
			return f->sql;
		if (f->sub)
			return fields_sql_at(f->sub, dot + 1);
		/* a mapping of scalars: {column: expression} */
		return dot[1] && !strchr(dot + 1, '.') ? f->sql_values : FSQL_NONE;
	}
	return FSQL_NONE;
}

/* ---- where scalars were written ---- */

/* The byte offset of the start of line `line` (0-based) in src, or -1. */
static long
line_start(const unsigned char *src, size_t len, size_t line)
{
	size_t off = 0;

	for (size_t l = 0; l < line; l++) {
		while (off < len && src[off] != '\n' && src[off] != '\r')
			off++;
		if (off >= len)
			return -1;
		if (src[off] == '\r' && off + 1 < len && src[off + 1] == '\n')
			off++;
		off++;
	}
	return (long) off;
}

/* The indentation of a literal block's content: that of its first line
 * holding something other than spaces, starting at line `first` (0-based). */
static int
block_indent(const unsigned char *src, size_t len, size_t first)
{
	long off = line_start(src, len, first);

	while (off >= 0 && (size_t) off < len) {
		int n = 0;

		while ((size_t) off < len && src[off] == ' ') {
			off++;
			n++;
		}
		if ((size_t) off >= len)
			return -1;
		if (src[off] != '\n' && src[off] != '\r')
			return n;
		off += (src[off] == '\r' && (size_t) off + 1 < len && src[off + 1] == '\n') ? 2 : 1;
	}
	return -1;
}

static void
site_add(struct field_sites *out, const char *path, yaml_node_t *n, const unsigned char *src, size_t len)
{
	struct field_site *s;
	const char *text = (const char *) n->data.scalar.value;
	bool one_line = n->start_mark.line == n->end_mark.line;

	out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
	s = &out->v[out->n++];
	memset(s, 0, sizeof(*s));
	s->path = xstrdup(path);
	s->text = xstrdup(text);
	s->line = (int) n->start_mark.line + 1;
	s->col = (int) n->start_mark.column + 1;
	s->map = SITE_NODE;
	s->first_line = s->line;
	s->first_col = s->col;
	switch (n->data.scalar.style) {
	case YAML_PLAIN_SCALAR_STYLE:
		if (one_line)
			s->map = SITE_LINE;
		break;
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
		if (one_line) {
			s->map = SITE_LINE;
			s->first_col++;
			s->doubled_quotes = true;
		}
		break;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		/* Escapes change the width; text that needed none maps exactly. */
		if (one_line && !strpbrk(text, "\\\"")) {
			bool plain = true;

			for (const unsigned char *p = (const unsigned char *) text; *p; p++)
				if (*p < 0x20 || *p == 0x7f)
					plain = false;
			if (plain) {
				s->map = SITE_LINE;
				s->first_col++;
			}
		}
		break;
	case YAML_LITERAL_SCALAR_STYLE:
		if (src) {
			int indent = block_indent(src, len, n->start_mark.line + 1);

			if (indent >= 0) {
				s->map = SITE_BLOCK;
				s->first_line = s->line + 1;
				s->first_col = indent + 1;
			}
		}
		break;
	default:		/* folded: lines joined, positions lost */
		break;
	}
}

/* Each node is walked once: an alias shares its anchor's node, and a tree
 * of aliases of aliases has exponentially many paths (an alias bomb). */
struct walk {
	struct ydoc *y;
	const unsigned char *src;
	size_t len;
	unsigned *visits;	/* by node index: the walk that last saw it */
	unsigned walk;		/* this one */
	size_t n_nodes;
	struct field_sites *out;
};

static void
walk_sites(struct walk *w, int index, struct strbuf *path, int depth)
{
	yaml_node_t *n = ydoc_node(w->y, index);
	size_t mark = path->len;

	if (!n || depth > 64 || index < 1 || (size_t) index > w->n_nodes || w->visits[index - 1] == w->walk)
		return;
	w->visits[index - 1] = w->walk;
	switch (n->type) {
	case YAML_SCALAR_NODE:
		if (!ydoc_is_null(n) && strlen((const char *) n->data.scalar.value) == n->data.scalar.length)
			site_add(w->out, path->buf ? path->buf : "", n, w->src, w->len);
		break;
	case YAML_SEQUENCE_NODE:
		for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
			walk_sites(w, *it, path, depth + 1);
		break;
	case YAML_MAPPING_NODE:
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = ydoc_node(w->y, p->key);

			if (!k || k->type != YAML_SCALAR_NODE)
				continue;
			sb_printf(path, "%s%s", mark ? "." : "", (const char *) k->data.scalar.value);
			walk_sites(w, p->value, path, depth + 1);
			path->len = mark;
			if (path->buf)
				path->buf[mark] = '\0';
		}
		break;
	default:
		break;
	}
}

void
fields_sites(struct ydoc *y, yaml_node_t *n, const unsigned char *src, size_t len, struct field_sites *out)
{
	struct strbuf path = STRBUF_INIT;
	struct walk w = {.y = y, .src = src, .len = len, .out = out};

	if (!n || !y->loaded)
		return;
	w.n_nodes = (size_t) (y->doc.nodes.top - y->doc.nodes.start);
	/* One array for every walk over the document, each walk with its own
	 * mark: an array per operation made a plan of many operations
	 * quadratic to read. */
	if (!y->visits)
		y->visits = xcalloc(w.n_nodes ? w.n_nodes : 1, sizeof(*y->visits));
	w.visits = y->visits;
	w.walk = ++y->walks;
	/* libyaml numbers nodes from 1 */
	walk_sites(&w, (int) (n - y->doc.nodes.start) + 1, &path, 0);
	sb_free(&path);
}

void
field_site_pos(const struct field_site *s, size_t offset, int *line, int *col)
{
	const unsigned char *p = (const unsigned char *) s->text;
	size_t chars = 0;
	int l = s->first_line, c = s->first_col;

	if (s->map == SITE_NODE) {
		*line = s->line;
		*col = s->col;
		return;
	}
	/* characters, as libyaml counts columns and PostgreSQL its cursor */
	for (; *p && chars < offset; p++) {
		if ((*p & 0xc0) == 0x80)
			continue;
		chars++;
		if (s->map == SITE_BLOCK && *p == '\n') {
			l++;
			c = s->first_col;
			continue;
		}
		c += (s->doubled_quotes && *p == '\'') ? 2 : 1;
	}
	*line = l;
	*col = c;
}

void
field_sites_free(struct field_sites *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].text);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
