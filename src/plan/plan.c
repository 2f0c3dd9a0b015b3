#include "config.h"

#include <errno.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/fields.h"
#include "plan/op_kind.h"
#include "plan/plan.h"
#include "plan/sql_fields.h"
#include "plan/plan_throttle.h"
#include "pg/sql.h"
#include "base/xalloc.h"

void
plan_settings_default(struct plan_settings *s)
{
	s->lock_timeout_ms = 250;
	s->lock_retries = 60;
	s->batch_size = 5000;
	s->batch_target_ms = 200;
	s->max_replica_lag_ms = 10000;
	s->statement_timeout_ms = 30000;
	s->vacuum = true;
	s->kill_blockers = KILL_NONE;
	s->hook_timeout_ms = 60000;
	s->hook_progress_ms = 60000;
	s->critical_load.checks = 3;
	s->throttle_query_timeout_ms = 1000;
	s->backfill_workers = 1;
}

const char *
plan_schema(const struct plan *p)
{
	return p->settings.schema ? p->settings.schema : "public";
}

char *
plan_qualified(const struct plan *p, const char *name)
{
	return sql_qualified(plan_schema(p), name);
}

char *
plan_search_path(const struct plan *p)
{
	char *q = sql_ident(plan_schema(p));
	char *path = xasprintf("%s, pg_temp", q);

	free(q);
	return path;
}

char *
plan_function_path(const struct plan *p)
{
	char *q = sql_ident(plan_schema(p));
	char *path = xasprintf("pg_catalog, %s, pg_temp", q);

	free(q);
	return path;
}

static bool
parse_kill_blockers(struct ydoc *y, yaml_node_t *n, void *dst)
{
	const char *v = ydoc_scalar(y, n, "settings.kill_blockers");
	enum kill_blockers *k = dst;

	if (!v)
		return false;
	if (strcmp(v, "none") == 0 || strcmp(v, "false") == 0)
		*k = KILL_NONE;
	else if (strcmp(v, "cancel") == 0)
		*k = KILL_CANCEL;
	else if (strcmp(v, "terminate") == 0)
		*k = KILL_TERMINATE;
	else {
		ydoc_error(y, n, "settings.kill_blockers must be none, cancel or terminate, not \"%s\"", v);
		return false;
	}
	return true;
}

static void
format_kill_blockers(const void *src, char *buf, size_t len)
{
	enum kill_blockers k = *(const enum kill_blockers *) src;

	snprintf(buf, len, "%s", k == KILL_CANCEL ? "cancel" : k == KILL_TERMINATE ? "terminate" : "none");
}

#define S(m) offsetof(struct plan_settings, m)
static const struct field settings_fields[] = {
	{.key = "lock_timeout", .type = F_DURATION, .offset = S(lock_timeout_ms), .min = 1, .max = 60000},
	{.key = "lock_retries", .type = F_INT, .offset = S(lock_retries), .min = 1, .max = 10000},
	{.key = "batch_size", .type = F_INT, .offset = S(batch_size), .min = 1, .max = 1000000},
	{.key = "batch_target", .type = F_DURATION, .offset = S(batch_target_ms), .min = 1, .max = 600000},
	{.key = "max_replica_lag", .type = F_DURATION, .offset = S(max_replica_lag_ms), .min = 0, .max = INT_MAX},
	{.key = "statement_timeout", .type = F_DURATION, .offset = S(statement_timeout_ms), .min = 1, .max = INT_MAX},
	{.key = "vacuum", .type = F_BOOL, .offset = S(vacuum)},
	{.key = "kill_blockers", .type = F_CUSTOM, .offset = S(kill_blockers), .parse = parse_kill_blockers,
	 .format = format_kill_blockers},
	{.key = "version_schema", .type = F_BOOL, .offset = S(version_schema)},
	{.key = "schema", .type = F_IDENT, .offset = S(schema)},
	{.key = "postpone_switch", .type = F_BOOL, .offset = S(postpone_switch)},
	{.key = "postpone_switch_flag_file", .type = F_IDENT, .offset = S(postpone_switch_flag_file)},
	{.key = "hooks", .type = F_IDENT, .offset = S(hooks)},
	{.key = "hook_timeout", .type = F_DURATION, .offset = S(hook_timeout_ms), .min = 100, .max = 3600000},
	{.key = "hook_progress_interval", .type = F_DURATION, .offset = S(hook_progress_ms), .min = 1000,
	 .max = 86400000},
	{.key = "max_load", .type = F_CUSTOM, .offset = S(max_load), .parse = plan_parse_max_load},
	{.key = "critical_load", .type = F_CUSTOM, .offset = S(critical_load), .parse = plan_parse_critical_load},
	{.key = "throttle_query", .type = F_CUSTOM, .offset = S(throttle_query), .parse = plan_parse_throttle_query},
	{.key = "throttle_query_timeout", .type = F_DURATION, .offset = S(throttle_query_timeout_ms), .min = 1,
	 .max = 60000},
	{.key = "max_rows_per_second", .type = F_INT, .offset = S(max_rows_per_second), .min = 0, .max = INT_MAX},
	{.key = "max_wal_per_second", .type = F_SIZE, .offset = S(max_wal_per_second), .min = 0},
	{.key = "backfill_workers", .type = F_INT, .offset = S(backfill_workers), .min = 1, .max = PLAN_MAX_WORKERS},
	FIELD_END
};
#undef S

/* Keys every operation accepts besides its kind's own. */
static const struct field op_common_fields[] = {
	{.key = "lint_ignore", .type = F_STRLIST, .offset = offsetof(struct op, lint_ignore)},
	FIELD_END
};

static bool forced_version_schema;

void
plan_force_version_schema(bool on)
{
	forced_version_schema = on;
}

static bool
parse_op(struct ydoc *y, yaml_node_t *item, struct op *op, const unsigned char *src, size_t len)
{
	yaml_node_pair_t *pair;
	yaml_node_t *k, *v;
	const char *name;

	if (item->type != YAML_MAPPING_NODE) {
		ydoc_error(y, item, "an operation must be a mapping such as \"add_column: {...}\", not %s",
			   ydoc_kind(item));
		return false;
	}
	if (item->data.mapping.pairs.top - item->data.mapping.pairs.start != 1) {
		if (ydoc_find(y, item, "lint_ignore"))
			ydoc_error(y, item, "lint_ignore goes inside the operation, beside its fields: \"- kind: {..., lint_ignore: [rule]}\"");
		else
			ydoc_error(y, item, "an operation must have exactly one key, its kind (one of: %s)",
				   op_kind_names());
		return false;
	}
	pair = item->data.mapping.pairs.start;
	k = ydoc_node(y, pair->key);
	v = ydoc_node(y, pair->value);
	if (!(name = ydoc_scalar(y, k, "an operation's kind")))
		return false;
	op->kind = op_kind_find(name);
	op->line = (int) k->start_mark.line + 1;
	op->col = (int) k->start_mark.column + 1;
	if (!op->kind) {
		ydoc_error(y, k, "unknown operation \"%s\" (known: %s)", name, op_kind_names());
		return false;
	}
	op->data = xcalloc(1, op->kind->size);
	if (!fields_parse_with(y, v, op->kind->fields, op->data, op->kind->name, op_common_fields, op))
		return false;
	if (op->kind->validate && !op->kind->validate(y, v, op->data))
		return false;
	/* The SQL it carries must parse (lint_ignore's rules: plan_validate). */
	fields_sites(y, v, src, len, &op->sites);
	return sql_fields_check_op(y->file, op, y->diag);
}

static const struct field plan_top_fields[] = {
	{.key = "name", .type = F_STR, .offset = offsetof(struct plan, name)},
	{.key = "description", .type = F_STR, .offset = offsetof(struct plan, description)},
	/* pgroll's: the name of the versioned schema */
	{.key = "version_schema", .type = F_IDENT, .offset = offsetof(struct plan, version_schema)},
	/* settings and operations are read below; listed here for the checks */
	{.key = "settings", .type = F_CUSTOM},
	{.key = "operations", .type = F_CUSTOM, .required = true},
	FIELD_END
};

static bool
ignore_node(struct ydoc *y, yaml_node_t *n, void *dst)
{
	return true;
}

static char *
name_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (dot && dot != base && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0 ||
				   strcmp(dot, ".json") == 0))
		return xstrndup(base, (size_t) (dot - base));
	return xstrdup(base);
}

static bool
valid_name(const char *s)
{
	/* It becomes part of helper object names and application_name. */
	if (!*s || strlen(s) > 63)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '-' || *p == '.'))
			return false;
	return true;
}

static struct plan *
plan_from_doc(struct ydoc *y, const char *path, const unsigned char *src, size_t len, struct diag *diag)
{
	struct plan *p = xcalloc(1, sizeof(*p));
	yaml_node_t *root = ydoc_root(y);
	yaml_node_t *n;
	struct field top[sizeof(plan_top_fields) / sizeof(plan_top_fields[0])];
	bool ok = true;

	p->path = xstrdup(path);
	plan_settings_default(&p->settings);
	if (!root || (root->type == YAML_SCALAR_NODE && ydoc_is_null(root))) {
		diag_add(diag, y->file, 0, 0, "the plan is empty: it needs at least \"operations:\"");
		plan_free(p);
		return NULL;
	}
	memcpy(top, plan_top_fields, sizeof(top));
	for (struct field *f = top; f->key; f++)
		if (f->type == F_CUSTOM)
			f->parse = ignore_node;
	if (!fields_parse(y, root, top, p, "the plan"))
		ok = false;
	if (root->type != YAML_MAPPING_NODE) {
		plan_free(p);
		return NULL;
	}
	if (p->name && !valid_name(p->name)) {
		ydoc_error(y, ydoc_find(y, root, "name"),
			   "name \"%s\" must be 1 to 63 letters, digits, '_', '-' or '.'", p->name);
		ok = false;
	}
	if (!p->name) {
		p->name = name_from_path(path);
		if (!valid_name(p->name)) {
			diag_add(diag, y->file, 0, 0,
				 "the file name gives the migration the name \"%s\", which is not 1 to 63 letters, digits, '_', '-' or '.': add a name: key",
				 p->name);
			ok = false;
		}
	}
	if ((n = ydoc_find(y, root, "settings")) && !fields_parse(y, n, settings_fields, &p->settings, "settings"))
		ok = false;
	n = ydoc_find(y, root, "operations");
	if (n && n->type != YAML_SEQUENCE_NODE) {
		ydoc_error(y, n, "operations must be a list, not %s", ydoc_kind(n));
		ok = false;
	} else if (n) {
		size_t cnt = (size_t) (n->data.sequence.items.top - n->data.sequence.items.start);

		if (cnt == 0) {
			ydoc_error(y, n, "operations is empty: a plan needs at least one operation");
			ok = false;
		}
		p->ops = xcalloc(cnt ? cnt : 1, sizeof(struct op));
		for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
			if (!parse_op(y, ydoc_node(y, *it), &p->ops[p->n_ops++], src, len))
				ok = false;
		}
	}
	if (ok && !p->version_schema && (p->settings.version_schema || forced_version_schema)) {
		/* <schema>_<migration>, as pgroll names it, within 63 bytes */
		p->version_schema = xasprintf("%s_%s", p->settings.schema ? p->settings.schema : "public", p->name);
		if (strlen(p->version_schema) > 63) {
			char *name = sql_helper_name(p->settings.schema ? p->settings.schema : "public", NULL, p->name);

			free(p->version_schema);
			/* without the helper prefix: this schema is the application's */
			p->version_schema = xstrdup(name + strlen("_pgstep_"));
			free(name);
		}
	}
	for (size_t i = 0; ok && p->version_schema && i < p->n_ops; i++) {
		/* The views show a table by what it is, not by its name: a swap
		 * would leave them on the old one. */
		if (p->ops[i].kind->flags & OPK_SWAPS_TABLE) {
			diag_add(diag, y->file, p->ops[i].line, p->ops[i].col,
				 "%s cannot run with a versioned schema (%s): it swaps the table under the views; run it in a migration of its own",
				 p->ops[i].kind->name, p->version_schema);
			ok = false;
		}
	}
	if (!ok) {
		plan_free(p);
		return NULL;
	}
	return p;
}

static void
checksum_hex(const unsigned char *buf, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	EVP_Digest(buf, len, md, &mdlen, EVP_sha256(), NULL);
	for (unsigned int i = 0; i < mdlen && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[64] = '\0';
}

struct plan *
plan_load_buffer(const char *name, const unsigned char *buf, size_t len, struct diag *diag)
{
	struct ydoc y;
	struct plan *p = NULL;

	if (ydoc_load_buffer(&y, name, buf, len, diag))
		p = plan_from_doc(&y, name, buf, len, diag);
	ydoc_free(&y);
	if (p && forced_version_schema) {
		/* the flag changes what runs: it counts as part of the plan */
		static const char mark[] = "\n#pgstep --version-schema\n";
		unsigned char *both = xmalloc(len + sizeof(mark));

		memcpy(both, buf, len);
		memcpy(both + len, mark, sizeof(mark) - 1);
		checksum_hex(both, len + sizeof(mark) - 1, p->checksum);
		free(both);
	} else if (p)
		checksum_hex(buf, len, p->checksum);
	return p;
}

#define PLAN_MAX_BYTES (16 * 1024 * 1024)

struct plan *
plan_load(const char *path, struct diag *diag)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	size_t len = 0, cap = 65536, n;
	struct plan *p;

	if (!f) {
		diag_add(diag, path, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	buf = xmalloc(cap);
	while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len > PLAN_MAX_BYTES) {
			diag_add(diag, path, 0, 0, "the file is larger than %d MiB: not a plan",
				 PLAN_MAX_BYTES / (1024 * 1024));
			free(buf);
			fclose(f);
			return NULL;
		}
		if (len == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
	}
	if (ferror(f)) {
		diag_add(diag, path, 0, 0, "cannot read: %s", strerror(errno));
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	p = plan_load_buffer(path, buf, len, diag);
	free(buf);
	return p;
}

void
plan_free(struct plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_ops; i++) {
		if (p->ops[i].kind && p->ops[i].data)
			fields_free(p->ops[i].kind->fields, p->ops[i].data);
		free(p->ops[i].data);
		strlist_free(&p->ops[i].lint_ignore);
		field_sites_free(&p->ops[i].sites);
	}
	free(p->ops);
	free(p->path);
	free(p->name);
	free(p->description);
	free(p->version_schema);
	plan_settings_free(&p->settings);
	free(p);
}

bool
plan_setting_parse(const char *key, const char *value, struct plan_settings *s, char *err, size_t errlen)
{
	struct diag d = {0};
	struct ydoc y;
	bool ok;

	err[0] = '\0';
	ok = ydoc_load_pair(&y, "setting", key, value, &d) &&
		fields_parse(&y, ydoc_root(&y), settings_fields, s, "settings");
	ydoc_free(&y);
	/* the position is that of a document made of the one pair: the
	 * message alone says what is wrong */
	if (!ok)
		snprintf(err, errlen, "%s", d.n > 0 ? d.items[0].msg : "not a setting");
	diag_free(&d);
	return ok;
}

bool
plan_setting_known(const char *key)
{
	for (const struct field *f = settings_fields; f->key; f++)
		if (strcmp(f->key, key) == 0)
			return true;
	return false;
}

void
plan_settings_free(struct plan_settings *s)
{
	fields_free(settings_fields, s);
	/* an F_CUSTOM field, which fields_free leaves alone */
	free(s->throttle_query);
	s->throttle_query = NULL;
}

void
plan_settings_each(const struct plan_settings *s, void (*fn)(void *ud, const char *key, const char *value),
		   void *ud)
{
	for (const struct field *f = settings_fields; f->key; f++) {
		char buf[512];

		fields_format(f, s, buf, sizeof(buf));
		fn(ud, f->key, buf);
	}
}

char *
plan_relative_path(const struct plan *p, const char *path)
{
	const char *slash = strrchr(p->path, '/');

	if (path[0] == '/' || !slash)
		return xstrdup(path);
	return xasprintf("%.*s/%s", (int) (slash - p->path), p->path, path);
}
