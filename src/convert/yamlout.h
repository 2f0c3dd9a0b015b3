/* YAML output: a small tree of mappings, lists and scalars, written out by
 * libyaml's emitter (block style), which does all the quoting. What a
 * reader would take for something else than a string (null, true, 0, a
 * date) is written quoted. */
#ifndef PGSTEP_YAMLOUT_H
#define PGSTEP_YAMLOUT_H

#include <stdbool.h>
#include <stddef.h>

enum yv_kind { YV_STR, YV_BOOL, YV_NULL, YV_MAP, YV_SEQ };

struct yv;

struct yv_pair {
	char *key;
	struct yv *v;
};

struct yv {
	enum yv_kind kind;
	char *s;		/* YV_STR */
	bool b;			/* YV_BOOL */
	struct yv_pair *pairs;	/* YV_MAP, in insertion order */
	struct yv **items;	/* YV_SEQ */
	size_t n, cap;
};

struct yv *yv_map(void);
struct yv *yv_seq(void);
struct yv *yv_str(const char *s);
/* Takes ownership of s. */
struct yv *yv_str_own(char *s);
struct yv *yv_bool(bool b);
struct yv *yv_null(void);

/* Appends key: v to a mapping; takes ownership of v. Returns v. */
struct yv *yv_put(struct yv *map, const char *key, struct yv *v);
void yv_put_str(struct yv *map, const char *key, const char *s);
void yv_put_bool(struct yv *map, const char *key, bool b);
/* Appends v to a list; takes ownership of v. Returns v. */
struct yv *yv_push(struct yv *seq, struct yv *v);
/* The value of key in a mapping, or NULL. */
struct yv *yv_get(const struct yv *map, const char *key);
void yv_free(struct yv *v);

/* Whether s is UTF-8, which is all a YAML document may hold (libyaml's
 * own check). */
bool yv_utf8(const char *s);

/* Writes v as one YAML document into *out (NUL-terminated, the caller
 * frees); false with *error (the caller frees) when libyaml refuses. */
bool yv_emit(const struct yv *v, char **out, size_t *len, char **error);

#endif
