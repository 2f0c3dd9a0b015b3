#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duration.h"
#include "fields.h"
#include "strbuf.h"
#include "xalloc.h"

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
parse_strlist(struct ydoc *y, yaml_node_t *n, const char *what, struct strlist *out)
{
	const char *v;

	if (n->type == YAML_SCALAR_NODE) {
		if (!(v = ydoc_scalar(y, n, what)))
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

		if (!(v = ydoc_scalar(y, e, what))) {
			ok = false;
			continue;
		}
		out->v[out->n++] = xstrdup(v);
	}
	return ok;
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
	       const char *what)
{
	struct strbuf sb = STRBUF_INIT;

	for (const struct field *f = fields; f->key; f++)
		sb_printf(&sb, "%s%s", f == fields ? "" : ", ", f->key);
	ydoc_error(y, k, "unknown key \"%s\" in %s (expected one of: %s)", key, what, sb.buf ? sb.buf : "");
	sb_free(&sb);
}

bool
fields_parse(struct ydoc *y, yaml_node_t *map, const struct field *fields, void *obj,
	     const char *what)
{
	size_t nfields = 0;
	bool ok = true;

	if (map->type != YAML_MAPPING_NODE) {
		ydoc_error(y, map, "%s must be a mapping, not %s", what, ydoc_kind(map));
		return false;
	}
	for (const struct field *f = fields; f->key; f++)
		nfields++;

	bool *seen = xcalloc(nfields ? nfields : 1, sizeof(bool));

	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ydoc_node(y, p->key);
		yaml_node_t *v = ydoc_node(y, p->value);
		const char *key;
		const struct field *f;
		char label[256];
		bool fok = true;

		if (!(key = ydoc_scalar(y, k, "a key"))) {
			ok = false;
			continue;
		}
		f = find_field(fields, key);
		if (!f) {
			report_unknown(y, k, key, fields, what);
			ok = false;
			continue;
		}
		if (seen[f - fields]) {
			ydoc_error(y, k, "duplicate key \"%s\" in %s", key, what);
			ok = false;
			continue;
		}
		seen[f - fields] = true;
		snprintf(label, sizeof(label), "%s.%s", what, key);
		switch (f->type) {
		case F_STR: {
			const char *s = ydoc_scalar(y, v, label);

			if (s)
				*AT(obj, f->offset, char *) = xstrdup(s);
			else
				fok = false;
			break;
		}
		case F_BOOL:
			fok = parse_bool(y, v, label, AT(obj, f->offset, bool));
			break;
		case F_INT:
			fok = parse_int(y, v, label, f->min, f->max, AT(obj, f->offset, int));
			break;
		case F_DURATION:
			fok = parse_duration(y, v, label, f->min, f->max, AT(obj, f->offset, int));
			break;
		case F_STRLIST:
			fok = parse_strlist(y, v, label, AT(obj, f->offset, struct strlist));
			break;
		case F_CUSTOM:
			fok = f->parse(y, v, AT(obj, f->offset, void));
			break;
		}
		if (fok && f->has)
			*AT(obj, f->has - 1, bool) = true;
		ok = ok && fok;
	}
	for (const struct field *f = fields; f->key; f++) {
		if (f->required && !seen[f - fields]) {
			ydoc_error(y, map, "%s is missing the required key \"%s\"", what, f->key);
			ok = false;
		}
	}
	free(seen);
	return ok;
}

void
fields_free(const struct field *fields, void *obj)
{
	for (const struct field *f = fields; f->key; f++) {
		switch (f->type) {
		case F_STR:
			free(*AT(obj, f->offset, char *));
			*AT(obj, f->offset, char *) = NULL;
			break;
		case F_STRLIST:
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

void
strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

bool
strlist_contains(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}
