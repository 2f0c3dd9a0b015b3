#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/catalog.h"
#include "store/conn.h"
#include "base/diag.h"
#include "base/xalloc.h"
#include "base/strbuf.h"
#include "lint/validate.h"

static bool
is_plan_file(const char *n)
{
	size_t len = strlen(n);

	if (n[0] == '.')
		return false;
	return (len > 5 && strcmp(n + len - 5, ".yaml") == 0) || (len > 4 && strcmp(n + len - 4, ".yml") == 0) ||
		(len > 5 && strcmp(n + len - 5, ".json") == 0);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

static struct catalog_entry *
add(struct catalog *cat)
{
	cat->v = xrealloc(cat->v, (cat->n + 1) * sizeof(*cat->v));
	memset(&cat->v[cat->n], 0, sizeof(cat->v[0]));
	cat->v[cat->n].rec.phase_done = -1;
	cat->v[cat->n].rec.running = -1;
	return &cat->v[cat->n++];
}

struct catalog_entry *
catalog_find(struct catalog *cat, const char *name)
{
	for (size_t i = 0; i < cat->n; i++)
		if (strcmp(cat->v[i].name, name) == 0)
			return &cat->v[i];
	return NULL;
}

static bool
load_dir(struct catalog *cat, const char *dir, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	if (!d) {
		snprintf(err, errlen, "cannot read plans directory %s: %s", dir, strerror(errno));
		return false;
	}
	while ((de = readdir(d))) {
		if (!is_plan_file(de->d_name))
			continue;
		names = xrealloc(names, (n + 1) * sizeof(char *));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < n; i++) {
		struct catalog_entry *en = add(cat);
		struct diag dg = {0};

		en->path = xasprintf("%s/%s", dir, names[i]);
		en->plan = plan_validate_load(en->path, &dg);
		if (en->plan) {
			en->name = xstrdup(en->plan->name);
			en->compiled = compile_plan(en->plan, NULL);
		} else {
			char *dot = strrchr(names[i], '.');

			en->name = xstrndup(names[i], (size_t) (dot - names[i]));
			en->n_errors = (int) dg.n;
			if (dg.n > 0) {
				const struct diag_item *it = &dg.items[0];

				en->error = it->line ? xasprintf("%s:%d:%d: %s", it->file, it->line, it->col, it->msg)
					: xasprintf("%s: %s", it->file, it->msg);
			}
		}
		diag_free(&dg);
		free(names[i]);
	}
	free(names);
	return true;
}

/* Two plan files under one name: neither can be run by name nor told
 * apart in schema pgstep, so both are invalid, each naming the other. */
static void
mark_duplicates(struct catalog *cat)
{
	for (size_t i = 0; i < cat->n; i++) {
		for (size_t j = 0; j < cat->n; j++) {
			struct catalog_entry *en = &cat->v[i];
			const struct catalog_entry *other = &cat->v[j];

			if (i == j || strcmp(en->name, other->name) != 0)
				continue;
			compiled_free(en->compiled);
			plan_free(en->plan);
			en->compiled = NULL;
			en->plan = NULL;
			free(en->error);
			en->error = xasprintf("%s: the name %s is also that of %s: give each plan its own name", en->path,
					      en->name, other->path);
			en->n_errors = 1;
			break;
		}
	}
}

/* Tables not recorded (never started, or recorded before schema version
 * 2) are the plan's, when the plan is the one applied. */
static void
tables_from_plans(struct catalog *cat)
{
	for (size_t i = 0; i < cat->n; i++) {
		struct catalog_entry *en = &cat->v[i];

		if (en->tables_known || !en->compiled || en->changed)
			continue;
		compiled_tables(en->compiled, &en->tables);
		en->tables_known = true;
	}
}

/* The recorded state, as one overview read it. */
static void
apply_overview(struct catalog *cat, const struct overview *ov)
{
	for (size_t i = 0; i < ov->n; i++) {
		const struct overview_mig *o = &ov->v[i];
		struct catalog_entry *en = catalog_find(cat, o->rec.name);

		if (!en) {
			en = add(cat);
			en->name = xstrdup(o->rec.name);
		}
		en->ov = *o;
		en->rec = o->rec;
		en->tables_known = o->tables_known && state_tables_parse(o->tables_json, &en->tables);
		str_copy(en->version_schema, sizeof(en->version_schema), o->version_schema);
		/* a run between phases holds it too: one waiting at the gate */
		str_copy(en->held_by, sizeof(en->held_by), o->held_by);
		en->stopped = o->stopped;
		en->changed = en->plan && en->rec.exists && strcmp(en->rec.checksum, en->plan->checksum) != 0;
	}
	cat->overview = true;
}

/* A schema older than this pgstep (which status reads without upgrading
 * it): a few queries a migration. */
static bool
load_state(struct catalog *cat, PGconn *conn, char *err, size_t errlen)
{
	PGresult *r = PQexec(conn, "SELECT name FROM pgstep.migrations ORDER BY name");

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);

		/* no schema pgstep yet: nothing was ever started here */
		if (st && (strcmp(st, "3F000") == 0 || strcmp(st, "42P01") == 0)) {
			PQclear(r);
			return true;
		}
		conn_result_error(r, conn, err, errlen);
		PQclear(r);
		return false;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		const char *name = PQgetvalue(r, i, 0);
		struct catalog_entry *en = catalog_find(cat, name);

		if (!en) {
			en = add(cat);
			en->name = xstrdup(name);
		}
		if (!state_get(conn, name, &en->rec, err, errlen) ||
		    !state_get_tables(conn, name, &en->tables, &en->tables_known, err, errlen) ||
		    !state_get_version_schema(conn, name, en->version_schema, sizeof(en->version_schema), err,
					      errlen) ||
		    (en->rec.running >= 0 &&
		     !state_who_runs(conn, name, en->held_by, sizeof(en->held_by), &en->stopped, err, errlen)) ||
		    /* finished meanwhile: read what it left */
		    (en->rec.running >= 0 && !en->held_by[0] && !en->stopped &&
		     !state_get(conn, name, &en->rec, err, errlen))) {
			PQclear(r);
			return false;
		}
		en->changed = en->plan && en->rec.exists && strcmp(en->rec.checksum, en->plan->checksum) != 0;
		en->stopped = en->stopped && strcmp(en->rec.status, "running") == 0;
		en->ov.rec = en->rec;
		en->ov.stopped = en->stopped;
		str_copy(en->ov.held_by, sizeof(en->ov.held_by), en->held_by);
		str_copy(en->ov.version_schema, sizeof(en->ov.version_schema), en->version_schema);
	}
	PQclear(r);
	return true;
}

bool
catalog_load(struct catalog *cat, const char *plans_dir, PGconn *conn, char *err, size_t errlen)
{
	memset(cat, 0, sizeof(*cat));
	if (!load_dir(cat, plans_dir, err, errlen))
		return false;
	mark_duplicates(cat);
	if (conn) {
		struct overview ov = {0};

		if (overview_load(conn, &ov))
			apply_overview(cat, &ov);
		else if (!ov.legacy) {
			snprintf(err, errlen, "%s", ov.error);
			/* libpq's messages end with a newline */
			err[strcspn(err, "\n")] = '\0';
			overview_free(&ov);
			return false;
		}
		/* what another role's schema pgstep says is not believed */
		else if (!state_check_owner(conn, err, errlen) || !load_state(cat, conn, err, errlen)) {
			overview_free(&ov);
			return false;
		}
		overview_free(&ov);
	}
	tables_from_plans(cat);
	return true;
}

bool
catalog_load_overview(struct catalog *cat, const char *plans_dir, const struct overview *ov, char *err,
		      size_t errlen)
{
	memset(cat, 0, sizeof(*cat));
	if (!load_dir(cat, plans_dir, err, errlen))
		return false;
	mark_duplicates(cat);
	apply_overview(cat, ov);
	tables_from_plans(cat);
	return true;
}

void
catalog_free(struct catalog *cat)
{
	for (size_t i = 0; i < cat->n; i++) {
		free(cat->v[i].name);
		free(cat->v[i].path);
		free(cat->v[i].error);
		compiled_free(cat->v[i].compiled);
		plan_free(cat->v[i].plan);
		strlist_free(&cat->v[i].tables);
	}
	free(cat->v);
	cat->v = NULL;
	cat->n = 0;
}
