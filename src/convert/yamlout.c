#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "convert/yamlout.h"

static struct yv *
yv_new(enum yv_kind kind)
{
	struct yv *v = xcalloc(1, sizeof(*v));

	v->kind = kind;
	return v;
}

struct yv *
yv_map(void)
{
	return yv_new(YV_MAP);
}

struct yv *
yv_seq(void)
{
	return yv_new(YV_SEQ);
}

struct yv *
yv_str(const char *s)
{
	return yv_str_own(xstrdup(s));
}

struct yv *
yv_str_own(char *s)
{
	struct yv *v = yv_new(YV_STR);

	v->s = s;
	return v;
}

struct yv *
yv_bool(bool b)
{
	struct yv *v = yv_new(YV_BOOL);

	v->b = b;
	return v;
}

struct yv *
yv_null(void)
{
	return yv_new(YV_NULL);
}

struct yv *
yv_put(struct yv *map, const char *key, struct yv *v)
{
	if (map->n == map->cap) {
		map->cap = map->cap ? 2 * map->cap : 8;
		map->pairs = xrealloc(map->pairs, map->cap * sizeof(*map->pairs));
	}
	map->pairs[map->n].key = xstrdup(key);
	map->pairs[map->n++].v = v;
	return v;
}

void
yv_put_str(struct yv *map, const char *key, const char *s)
{
	yv_put(map, key, yv_str(s));
}

void
yv_put_bool(struct yv *map, const char *key, bool b)
{
	yv_put(map, key, yv_bool(b));
}

struct yv *
yv_push(struct yv *seq, struct yv *v)
{
	if (seq->n == seq->cap) {
		seq->cap = seq->cap ? 2 * seq->cap : 8;
		seq->items = xrealloc(seq->items, seq->cap * sizeof(*seq->items));
	}
	seq->items[seq->n++] = v;
	return v;
}

struct yv *
yv_get(const struct yv *map, const char *key)
{
	if (!map || map->kind != YV_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->pairs[i].key, key) == 0)
			return map->pairs[i].v;
	return NULL;
}

void
yv_free(struct yv *v)
{
	if (!v)
		return;
	for (size_t i = 0; v->kind == YV_MAP && i < v->n; i++) {
		free(v->pairs[i].key);
		yv_free(v->pairs[i].v);
	}
	for (size_t i = 0; v->kind == YV_SEQ && i < v->n; i++)
		yv_free(v->items[i]);
	free(v->pairs);
	free(v->items);
	free(v->s);
	free(v);
}

/* ---- writing ---- */

/*
 * Whether a reader would resolve the plain scalar s as something else than
 * a string: null, a boolean (YAML 1.1's yes/no/on/off too, which some
 * readers still use) or a number, date or time (anything that starts like
 * one). pgstep's reader takes only null for another type, but a plan is
 * also meant for pgroll, whose reader takes them all.
 */
static bool
looks_typed(const char *s)
{
	static const char *const words[] = {
		"", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
		".inf", "-.inf", "+.inf", ".nan",
	};
	const char *p = s;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(s, words[i]) == 0)
			return true;
	if (*p == '-' || *p == '+')
		p++;
	if (*p == '.')
		p++;
	return *p >= '0' && *p <= '9';
}

static yaml_scalar_style_t
str_style(const char *s)
{
	if (strchr(s, '\n'))
		return YAML_LITERAL_SCALAR_STYLE;	/* libyaml falls back to quotes if it must */
	/* SQL's string literals read better in double quotes: "'{}'" */
	if (s[0] == '\'' && !strpbrk(s, "\"\\"))
		return YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	if (looks_typed(s))
		return strchr(s, '\'') && !strpbrk(s, "\"\\") ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
			: YAML_SINGLE_QUOTED_SCALAR_STYLE;
	return YAML_ANY_SCALAR_STYLE;
}

static bool
emit_scalar(yaml_emitter_t *e, const char *s, yaml_scalar_style_t style)
{
	yaml_event_t ev;

	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *) s, (int) strlen(s), 1, 1, style))
		return false;
	return yaml_emitter_emit(e, &ev);
}

static bool
emit_value(yaml_emitter_t *e, const struct yv *v)
{
	yaml_event_t ev;

	switch (v->kind) {
	case YV_STR:
		return emit_scalar(e, v->s, str_style(v->s));
	case YV_BOOL:
		return emit_scalar(e, v->b ? "true" : "false", YAML_PLAIN_SCALAR_STYLE);
	case YV_NULL:
		return emit_scalar(e, "null", YAML_PLAIN_SCALAR_STYLE);
	case YV_MAP:
		if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) ||
		    !yaml_emitter_emit(e, &ev))
			return false;
		for (size_t i = 0; i < v->n; i++)
			if (!emit_scalar(e, v->pairs[i].key, YAML_ANY_SCALAR_STYLE) || !emit_value(e, v->pairs[i].v))
				return false;
		return yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(e, &ev);
	case YV_SEQ:
		if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE) ||
		    !yaml_emitter_emit(e, &ev))
			return false;
		for (size_t i = 0; i < v->n; i++)
			if (!emit_value(e, v->items[i]))
				return false;
		return yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(e, &ev);
	}
	return false;
}

bool
yv_utf8(const char *s)
{
	yaml_event_t ev;

	/* the event checks its value, and copies it */
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *) s, (int) strlen(s), 1, 1,
					  YAML_ANY_SCALAR_STYLE))
		return false;
	yaml_event_delete(&ev);
	return true;
}

static int
append(void *data, unsigned char *buffer, size_t size)
{
	struct strbuf *sb = data;

	/* the emitter writes UTF-8 without NUL bytes */
	sb_printf(sb, "%.*s", (int) size, (const char *) buffer);
	return 1;
}

bool
yv_emit(const struct yv *v, char **out, size_t *len, char **error)
{
	yaml_emitter_t e;
	yaml_event_t ev;
	struct strbuf sb = STRBUF_INIT;
	bool ok;

	*out = NULL;
	*error = NULL;
	if (!yaml_emitter_initialize(&e)) {
		*error = xstrdup("libyaml: cannot initialize the emitter");
		return false;
	}
	yaml_emitter_set_output(&e, append, &sb);
	yaml_emitter_set_unicode(&e, 1);
	/* long expressions stay on one line, where messages can point into them */
	yaml_emitter_set_width(&e, -1);
	yaml_emitter_set_indent(&e, 2);
	ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) && yaml_emitter_emit(&e, &ev) &&
		yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) && yaml_emitter_emit(&e, &ev) &&
		emit_value(&e, v) &&
		yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&e, &ev) &&
		yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&e, &ev) &&
		yaml_emitter_flush(&e);
	if (!ok) {
		*error = xasprintf("libyaml: %s", e.problem ? e.problem : "the document cannot be written");
		yaml_emitter_delete(&e);
		sb_free(&sb);
		return false;
	}
	yaml_emitter_delete(&e);
	*len = sb.len;
	*out = sb_steal(&sb);
	return true;
}
