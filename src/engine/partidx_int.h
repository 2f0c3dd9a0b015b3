/* Between partidx.c (the steps) and partidx_catalog.c (what the catalog
 * and pgstep.saved say). Every function that queries returns NULL (or
 * false, '\0') with err set on an error. */
#ifndef PGSTEP_PARTIDX_INT_H
#define PGSTEP_PARTIDX_INT_H

#include "compile/compile.h"
#include "engine/engine.h"

PGresult *partidx_query(struct engine *e, const char *sql, int n, const char *const *params, char *err,
			size_t errlen);
/* The first value of the first row, copied; "" when there is no row. */
char *partidx_value(struct engine *e, const char *sql, int n, const char *const *params, char *err, size_t errlen);
bool partidx_command(struct engine *e, const char *sql, int n, const char *const *params, char *err, size_t errlen);
/* The relation's relkind ('p' a partitioned table, 'I' a partitioned
 * index), '-' when there is none. */
char partidx_relkind(struct engine *e, const char *qualified, char *err, size_t errlen);

/* One of the partitions, read from pg_partition_tree, parents first. */
struct partidx_node {
	char *relid;		/* its oid */
	char *parent;		/* its parent's oid */
	char kind;		/* 'p' partitioned, 'r' table */
	char *schema;
	char *name;
	char *index;		/* qualified: its index under the table's, once known */
};

struct partidx_tree {
	char *relid;		/* the table's oid */
	struct partidx_node *v;
	size_t n;
	int leaves;
};

/* The partitions of the table `top` (qualified; `table` names it in
 * messages), parents first: by level, then name, the order in which they
 * are built and the monitor numbers them. A foreign table among them is
 * refused: it cannot be indexed, so the index could never become valid. */
bool partidx_tree_load(struct engine *e, const char *top, const char *table, struct partidx_tree *t, char *err,
		       size_t errlen);
void partidx_tree_free(struct partidx_tree *t);
const struct partidx_node *partidx_tree_find(const struct partidx_tree *t, const char *relid);

/* The saved partitions' indexes of an index: $1 migration, $2 the index's
 * name; key, schema, table, index, partitioned; partitioned levels first. */
extern const char *const partidx_saved_rows_sql;
/* The index name saved for partition `relid`, or NULL (*failed on an
 * error). */
char *partidx_saved_name(struct engine *e, const struct plan *p, const struct index_build *ib, const char *relid,
			 bool *failed, char *err, size_t errlen);
/* The partition's index name: the one saved, or the name PostgreSQL would
 * give it, saved before anything is built under it. */
char *partidx_name_for(struct engine *e, const struct plan *p, const struct index_build *ib,
		       const struct partidx_node *n, char *err, size_t errlen);
/* "t" valid, "f" invalid, "" no such index. */
char *partidx_validity(struct engine *e, const char *qualified, char *err, size_t errlen);
/* The index of partition `relid` attached under the index `parent`
 * (qualified), qualified; "" when none. */
char *partidx_attached(struct engine *e, const char *parent, const char *relid, char *err, size_t errlen);
/* The type of the table's constraint `name`; "" when it has none. */
char *partidx_top_constraint(struct engine *e, const char *top, const char *name, char *err, size_t errlen);
/* False, saying why, when a unique constraint on the columns of `ib`
 * lacks a partition key column of some level (PostgreSQL would refuse it
 * only in switch, after every partition's index is built). */
bool partidx_check_keys(struct engine *e, const char *top, const struct index_build *ib, char *err, size_t errlen);

#endif
