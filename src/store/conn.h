/* Connections: the user's conninfo or URI as libpq reads it (PG* variables,
 * ~/.pgpass and service files included), our application_name on top, and
 * error messages that never show a password. */
#ifndef PGSTEP_CONN_H
#define PGSTEP_CONN_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * Every session pgstep opens resolves names in pg_catalog, and in pg_temp
 * last, and nowhere else: a function or a table that another role creates
 * in a schema of the user's search_path can never stand in for a built-in
 * that pgstep calls. What pgstep names outside pg_catalog it qualifies.
 */
#define CONN_SEARCH_PATH_OPTION "-c search_path=pg_catalog,pg_temp"

/* The keywords and values of PQconnectdbParams (expand_dbname = 1) for the
 * user's conninfo with pgstep's application_name and search_path on top;
 * conn_params_free frees them. */
struct conn_params {
	const char *keys[4];
	const char *vals[4];
	char *options;
};
void conn_params_init(struct conn_params *cp, const char *conninfo, const char *application_name);
void conn_params_free(struct conn_params *cp);

/* Opens a connection; on failure returns NULL with libpq's message
 * (password removed) in err. */
PGconn *conn_open(const char *conninfo, const char *application_name, char *err, size_t errlen);
/* Copies msg into out with every occurrence of the conninfo's password
 * replaced by "*****". */
void conn_redact(const char *conninfo, const char *msg, char *out, size_t outlen);
/* Overwrites a conninfo given on the command line, in place, so that ps
 * and /proc/PID/cmdline no longer show its password: when it holds one
 * (or libpq cannot read it), it becomes its other options with the
 * password as "*****", cut to the argument's length. Copy the conninfo
 * first. */
void conn_scrub_arg(char *arg);
/* Sets application_name for the session; false on error. */
bool conn_set_appname(PGconn *c, const char *name);
/* Runs a statement that returns no rows; on error fills err and returns
 * false. */
bool conn_exec(PGconn *c, const char *sql, char *err, size_t errlen);
/* The error of a failed result, trimmed of its trailing newline. */
void conn_result_error(const PGresult *r, PGconn *c, char *err, size_t errlen);

#endif
