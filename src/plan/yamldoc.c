#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "plan/yamldoc.h"

/* The byte offset of line `line`, column `col` (both 0-based, the column
 * in characters as libyaml counts them) in buf, or -1. */
static long
byte_at(const unsigned char *buf, size_t len, size_t line, size_t col)
{
	size_t off = 0;

	if (!buf)
		return -1;
	for (size_t l = 0; l < line; l++) {
		while (off < len && buf[off] != '\n')
			off++;
		if (off++ >= len)
			return -1;
	}
	for (size_t c = 0; c < col && off < len; c++)
		do
			off++;
		while (off < len && (buf[off] & 0xc0) == 0x80);
	return off < len ? (long) off : -1;
}

static void
report_parser_error(struct ydoc *y, yaml_parser_t *p, const unsigned char *buf, size_t len)
{
	const yaml_mark_t *m = p->context ? &p->context_mark : &p->problem_mark;
	long at;

	/* libyaml names the problem and, separately, the construct it was in. */
	if (p->error == YAML_READER_ERROR) {
		/* A byte offset only (a NUL, a byte that is not UTF-8): its line
		 * and column, counted as libyaml counts them. */
		int line = 1, col = 1;

		for (size_t i = 0; buf && i < p->problem_offset && i < len; i++) {
			if (buf[i] == '\n') {
				line++;
				col = 1;
			} else if ((buf[i] & 0xc0) != 0x80)
				col++;
		}
		if (!buf)
			line = col = 0;
		if (p->problem_value >= 0)
			diag_add(y->diag, y->file, line, col, "%s (0x%02X at byte %zu)",
				 p->problem ? p->problem : "unreadable input", (unsigned) p->problem_value,
				 p->problem_offset);
		else
			diag_add(y->diag, y->file, line, col, "%s at byte %zu",
				 p->problem ? p->problem : "unreadable input", p->problem_offset);
		return;
	}
	/* A tab where a token should start is the usual cause of libyaml's
	 * vaguest message. */
	at = byte_at(buf, len, p->problem_mark.line, p->problem_mark.column);
	if (at >= 0 && buf[at] == '\t' && p->problem &&
	    strstr(p->problem, "cannot start any token")) {
		diag_add(y->diag, y->file, (int) p->problem_mark.line + 1, (int) p->problem_mark.column + 1,
			 "a tab character here: YAML indents with spaces only");
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

/*
 * libyaml 0.2 has no nesting limit, and its scanner spends time in
 * proportion to the flow nesting depth on every token: 100000 '[' take
 * minutes, 10 MB of them hours. A first pass over the events refuses a
 * document nested deeper than any plan is, before the loader builds it.
 */
#define YDOC_MAX_DEPTH 64

static bool
check_depth(struct ydoc *y, const unsigned char *buf, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int depth = 0;
	bool ok = true, done = false;

	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, buf, len);
	while (ok && !done) {
		if (!yaml_parser_parse(&p, &ev)) {
			report_parser_error(y, &p, buf, len);
			ok = false;
			break;
		}
		switch (ev.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > YDOC_MAX_DEPTH) {
				diag_add(y->diag, y->file, (int) ev.start_mark.line + 1, (int) ev.start_mark.column + 1,
					 "nested deeper than %d levels: not a plan", YDOC_MAX_DEPTH);
				ok = false;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return ok;
}

/*
 * An alias shares its anchor's node, but whatever reads the document copies
 * the node at each alias: a short file of aliases to one long string, or of
 * aliases of aliases ("billion laughs"), would become gigabytes in the
 * structs, the SQL and the checks made of it. The document is refused when,
 * read with its aliases expanded, it would be much larger than the file;
 * and when an alias refers to a node that contains it.
 */
struct expansion {
	struct ydoc *y;
	uint64_t *size;		/* by node index - 1, once known */
	unsigned char *state;	/* 0 not seen, 1 being summed, 2 known */
	uint64_t limit;
	bool failed;
};

static uint64_t
expanded_size(struct expansion *e, int index, int depth)
{
	yaml_node_t *n = ydoc_node(e->y, index);
	uint64_t total = 1;

	if (!n || e->failed)
		return 1;
	if (e->state[index - 1] == 2)
		return e->size[index - 1];
	if (e->state[index - 1] == 1 || depth > YDOC_MAX_DEPTH) {
		ydoc_error(e->y, n, e->state[index - 1] == 1 ? "an alias refers to a node that contains it"
			   : "nested deeper than %d levels through aliases: not a plan", YDOC_MAX_DEPTH);
		e->failed = true;
		return 1;
	}
	e->state[index - 1] = 1;
	switch (n->type) {
	case YAML_SCALAR_NODE:
		total += n->data.scalar.length;
		break;
	case YAML_SEQUENCE_NODE:
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top && total <= e->limit; it++)
			total += expanded_size(e, *it, depth + 1);
		break;
	case YAML_MAPPING_NODE:
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
		     p < n->data.mapping.pairs.top && total <= e->limit; p++) {
			total += expanded_size(e, p->key, depth + 1);
			total += expanded_size(e, p->value, depth + 1);
		}
		break;
	default:
		break;
	}
	if (total > e->limit && !e->failed) {
		ydoc_error(e->y, n, "aliases repeat this %s so often that it would be read as more than %llu MiB: not a plan",
			   n->type == YAML_SCALAR_NODE ? "string" : n->type == YAML_SEQUENCE_NODE ? "list" : "mapping",
			   (unsigned long long) (e->limit >> 20));
		e->failed = true;
	}
	e->state[index - 1] = 2;
	e->size[index - 1] = total > e->limit ? e->limit + 1 : total;
	return e->size[index - 1];
}

static bool
check_expansion(struct ydoc *y, size_t len)
{
	size_t n = (size_t) (y->doc.nodes.top - y->doc.nodes.start);
	/* without aliases, the sum is about the file's size (each node costs a
	 * byte besides its text): four times that is only reached by repeating */
	struct expansion e = {.y = y, .limit = 4 * (uint64_t) len + (1 << 20)};

	if (n == 0)
		return true;
	e.size = xcalloc(n, sizeof(*e.size));
	e.state = xcalloc(n, 1);
	expanded_size(&e, 1, 0);
	free(e.size);
	free(e.state);
	return !e.failed;
}

static bool
load(struct ydoc *y, const unsigned char *buf, size_t len)
{
	yaml_parser_t p;
	yaml_document_t extra;
	bool ok = true;

	if (!check_depth(y, buf, len))
		return false;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, buf, len);
	if (!yaml_parser_load(&p, &y->doc)) {
		report_parser_error(y, &p, buf, len);
		yaml_parser_delete(&p);
		return false;
	}
	y->loaded = true;
	/* A second document in the same file is a mistake, not something to ignore. */
	if (!yaml_parser_load(&p, &extra)) {
		report_parser_error(y, &p, buf, len);
		yaml_parser_delete(&p);
		return false;
	}
	if (yaml_document_get_root_node(&extra)) {
		yaml_node_t *r = yaml_document_get_root_node(&extra);

		diag_add(y->diag, y->file, (int) r->start_mark.line + 1, (int) r->start_mark.column + 1,
			 "a plan file holds one YAML document; this is a second one");
		ok = false;
	}
	yaml_document_delete(&extra);
	yaml_parser_delete(&p);
	return ok && check_expansion(y, len);
}

bool
ydoc_load_file(struct ydoc *y, const char *path, struct diag *diag)
{
	FILE *f;
	unsigned char *buf = NULL;
	size_t len = 0, n;
	bool ok;

	memset(y, 0, sizeof(*y));
	y->file = xstrdup(path);
	y->diag = diag;
	if (!(f = fopen(path, "rb"))) {
		diag_add(diag, path, 0, 0, "cannot open: %s", strerror(errno));
		return false;
	}
	do {
		buf = xrealloc(buf, len + 65536);
		n = fread(buf + len, 1, 65536, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		diag_add(diag, path, 0, 0, "cannot read: %s", strerror(errno));
		ok = false;
	} else
		ok = load(y, buf, len);
	fclose(f);
	free(buf);
	return ok;
}

bool
ydoc_load_buffer(struct ydoc *y, const char *name, const unsigned char *buf, size_t len,
		 struct diag *diag)
{
	memset(y, 0, sizeof(*y));
	y->file = xstrdup(name);
	y->diag = diag;
	return load(y, buf, len);
}

void
ydoc_free(struct ydoc *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = false;
	free(y->visits);
	y->visits = NULL;
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

/* The first character of s that a terminal acts on instead of showing it
 * (C0 controls but tab and newline, DEL, C1 controls) or that reorders the
 * text around it on screen (the bidirectional overrides and isolates of
 * "Trojan Source"), or 0: what `pgstep show` prints must be what runs. */
static unsigned
hidden_char(const unsigned char *s)
{
	for (; *s; s++) {
		if ((*s < 0x20 && *s != '\t' && *s != '\n') || *s == 0x7f)
			return *s;
		if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
			return s[1];
		if (s[0] == 0xe2 && ((s[1] == 0x80 && s[2] >= 0xaa && s[2] <= 0xae) ||
				     (s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9)))
			return 0x2000u + ((s[1] & 0x3fu) << 6) + (s[2] & 0x3fu);
	}
	return 0;
}

const char *
ydoc_scalar(struct ydoc *y, yaml_node_t *n, const char *what)
{
	unsigned c;

	if (n->type != YAML_SCALAR_NODE || ydoc_is_null(n)) {
		ydoc_error(y, n, "%s must be a string, not %s", what, ydoc_kind(n));
		return NULL;
	}
	if (strlen((const char *) n->data.scalar.value) != n->data.scalar.length) {
		ydoc_error(y, n, "%s contains a NUL byte", what);
		return NULL;
	}
	if ((c = hidden_char(n->data.scalar.value))) {
		ydoc_error(y, n, "%s contains the control character U+%04X, which a terminal would not show as it is",
			   what, c);
		return NULL;
	}
	return (const char *) n->data.scalar.value;
}

const char *
ydoc_ident(struct ydoc *y, yaml_node_t *n, const char *what)
{
	const char *s = ydoc_scalar(y, n, what);

	/* "" is no name in PostgreSQL: the statement would fail once running */
	if (s && !*s) {
		ydoc_error(y, n, "an empty name in %s: \"\" names no database object", what);
		return NULL;
	}
	return s;
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
