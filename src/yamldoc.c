#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xalloc.h"
#include "yamldoc.h"

static void
report_parser_error(struct ydoc *y, yaml_parser_t *p)
{
	const yaml_mark_t *m = p->context ? &p->context_mark : &p->problem_mark;

	/* libyaml names the problem and, separately, the construct it was in. */
	if (p->error == YAML_READER_ERROR) {
		diag_add(y->diag, y->file, 0, 0, "%s at byte %zu",
			 p->problem ? p->problem : "unreadable input", p->problem_offset);
		return;
	}
	if (p->context)
		diag_add(y->diag, y->file, (int) p->problem_mark.line + 1, (int) p->problem_mark.column + 1,
			 "%s %s (line %d)", p->problem ? p->problem : "syntax error", p->context,
			 (int) m->line + 1);
	else
		diag_add(y->diag, y->file, (int) p->problem_mark.line + 1, (int) p->problem_mark.column + 1,
			 "%s", p->problem ? p->problem : "syntax error");
}

static bool
load(struct ydoc *y, yaml_parser_t *p)
{
	yaml_document_t extra;
	bool ok = true;

	if (!yaml_parser_load(p, &y->doc)) {
		report_parser_error(y, p);
		return false;
	}
	y->loaded = true;
	/* A second document in the same file is a mistake, not something to ignore. */
	if (!yaml_parser_load(p, &extra)) {
		report_parser_error(y, p);
		return false;
	}
	if (yaml_document_get_root_node(&extra)) {
		yaml_node_t *r = yaml_document_get_root_node(&extra);

		diag_add(y->diag, y->file, (int) r->start_mark.line + 1, (int) r->start_mark.column + 1,
			 "a plan file holds one YAML document; this is a second one");
		ok = false;
	}
	yaml_document_delete(&extra);
	return ok;
}

bool
ydoc_load_file(struct ydoc *y, const char *path, struct diag *diag)
{
	yaml_parser_t p;
	FILE *f;
	bool ok;

	memset(y, 0, sizeof(*y));
	y->file = xstrdup(path);
	y->diag = diag;
	f = fopen(path, "rb");
	if (!f) {
		diag_add(diag, path, 0, 0, "cannot open: %s", strerror(errno));
		return false;
	}
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, f);
	ok = load(y, &p);
	yaml_parser_delete(&p);
	fclose(f);
	return ok;
}

bool
ydoc_load_buffer(struct ydoc *y, const char *name, const unsigned char *buf, size_t len,
		 struct diag *diag)
{
	yaml_parser_t p;
	bool ok;

	memset(y, 0, sizeof(*y));
	y->file = xstrdup(name);
	y->diag = diag;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, buf, len);
	ok = load(y, &p);
	yaml_parser_delete(&p);
	return ok;
}

void
ydoc_free(struct ydoc *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = false;
	free(y->file);
	y->file = NULL;
}

yaml_node_t *
ydoc_root(struct ydoc *y)
{
	return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

yaml_node_t *
ydoc_node(struct ydoc *y, int index)
{
	return yaml_document_get_node(&y->doc, index);
}

void
ydoc_error(struct ydoc *y, const yaml_node_t *n, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	if (n)
		diag_add(y->diag, y->file, (int) n->start_mark.line + 1, (int) n->start_mark.column + 1,
			 "%s", sb.buf);
	else
		diag_add(y->diag, y->file, 0, 0, "%s", sb.buf);
	sb_free(&sb);
}

const char *
ydoc_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return ydoc_is_null(n) ? "null" : "a string";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

bool
ydoc_is_null(const yaml_node_t *n)
{
	const char *v;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	v = (const char *) n->data.scalar.value;
	return strcmp(v, "") == 0 || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
		strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

const char *
ydoc_scalar(struct ydoc *y, yaml_node_t *n, const char *what)
{
	if (n->type != YAML_SCALAR_NODE || ydoc_is_null(n)) {
		ydoc_error(y, n, "%s must be a string, not %s", what, ydoc_kind(n));
		return NULL;
	}
	if (strlen((const char *) n->data.scalar.value) != n->data.scalar.length) {
		ydoc_error(y, n, "%s contains a NUL byte", what);
		return NULL;
	}
	return (const char *) n->data.scalar.value;
}

yaml_node_t *
ydoc_find(struct ydoc *y, yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ydoc_node(y, p->key);

		if (k && k->type == YAML_SCALAR_NODE && strcmp((const char *) k->data.scalar.value, key) == 0)
			return ydoc_node(y, p->value);
	}
	return NULL;
}
