/*
 * Saved state: what a rollback must put back and the plan cannot say (a
 * column's NOT NULL, a table's replica identity, the version schema), kept
 * in pgstep.saved under the migration's name and `key`. The step that
 * changes the thing saves it first, in its own transaction; its rollback
 * reads it. These build the SQL the compiled steps carry.
 */
#ifndef PGSTEP_STORE_SAVED_H
#define PGSTEP_STORE_SAVED_H

/* INSERT ... the value of `value_sql` (an SQL expression) under key. */
char *saved_put_sql(const char *migration, const char *key, const char *value_sql);
/* A scalar subquery of the saved value (NULL when nothing was saved). */
char *saved_get_sql(const char *migration, const char *key);

#endif
