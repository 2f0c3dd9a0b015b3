#include "config.h"

#include <stdlib.h>

#include "base/xalloc.h"
#include "pg/sql.h"
#include "store/saved.h"

char *
saved_put_sql(const char *migration, const char *key, const char *value_sql)
{
	char *m = sql_literal(migration), *k = sql_literal(key);
	char *sql = xasprintf("INSERT INTO pgstep.saved (migration, key, value) VALUES (%s, %s, (%s)) "
			      "ON CONFLICT (migration, key) DO UPDATE SET value = EXCLUDED.value, saved_at = now()",
			      m, k, value_sql);

	free(m);
	free(k);
	return sql;
}

char *
saved_get_sql(const char *migration, const char *key)
{
	char *m = sql_literal(migration), *k = sql_literal(key);
	char *sql = xasprintf("(SELECT value FROM pgstep.saved WHERE migration = %s AND key = %s)", m, k);

	free(m);
	free(k);
	return sql;
}
