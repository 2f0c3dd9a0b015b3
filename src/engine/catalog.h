/* The migrations pgstep knows: every plan file in the plans directory (in
 * name order) and every migration recorded in the database. */
#ifndef PGSTEP_CATALOG_H
#define PGSTEP_CATALOG_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "compile/compile.h"
#include "plan/plan.h"
#include "store/state.h"

struct catalog_entry {
	char *name;
	char *path;			/* NULL when only in the database */
	struct plan *plan;		/* NULL when the file does not load */
	struct compiled *compiled;
	char *error;			/* why the file does not load (first problem) */
	int n_errors;
	struct mig_record rec;		/* rec.exists false when never started */
	bool changed;			/* file checksum differs from the recorded one */
	struct strlist tables;		/* the tables it touches: recorded, else from its plan */
	bool tables_known;		/* false: not recorded and no plan that is the one applied */
	char version_schema[64];	/* the versioned schema it created and that exists, or "" */
	char held_by[512];		/* the pgstep session that holds it, or "" */
	bool stopped;			/* recorded as running, and no pgstep holds it: it died */
};

struct catalog {
	struct catalog_entry *v;
	size_t n;
};

/* Reads the plans directory; with a connection (may be NULL), also the
 * recorded state. False with err set when the directory is unreadable or
 * the state cannot be read. */
bool catalog_load(struct catalog *cat, const char *plans_dir, PGconn *conn, char *err, size_t errlen);
struct catalog_entry *catalog_find(struct catalog *cat, const char *name);
void catalog_free(struct catalog *cat);

#endif
