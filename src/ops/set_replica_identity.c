/* set_replica_identity (pgroll's): ALTER TABLE ... REPLICA IDENTITY in
 * expand. The identity it replaces is saved in the same transaction, and
 * the rollback puts exactly that back (an index included). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ops/ops.h"
#include "pg/sql.h"
#include "base/xalloc.h"
#include "helpers.h"

struct identity {
	char *type;		/* full, default, nothing, index */
	char *index;		/* with index */
};

struct set_replica_identity {
	char *table;
	struct identity *identity;
};

static const struct field identity_fields[] = {
	{.key = "type", .type = F_STR, .offset = offsetof(struct identity, type), .required = true},
	{.key = "index", .type = F_IDENT, .offset = offsetof(struct identity, index)},
	FIELD_END
};

static bool
identity_parse(struct ydoc *y, yaml_node_t *n, void *dst)
{
	struct identity **out = dst;
	static const char *const kinds[] = {"full", "default", "nothing", "index", NULL};
	const char *const *k;

	*out = xcalloc(1, sizeof(**out));
	if (!fields_parse(y, n, identity_fields, *out, "identity"))
		return false;
	for (k = kinds; *k && strcasecmp(*k, (*out)->type) != 0; k++)
		;
	if (!*k) {
		ydoc_error(y, ydoc_find(y, n, "type"), "identity.type must be full, default, nothing or index, not \"%s\"",
			   (*out)->type);
		return false;
	}
	if ((strcasecmp((*out)->type, "index") == 0) != ((*out)->index != NULL)) {
		ydoc_error(y, n, (*out)->index ? "identity.index goes only with type: index"
			   : "identity type index needs index: the name of a unique index on the table");
		return false;
	}
	return true;
}

static void
identity_free(void *dst)
{
	struct identity **i = dst;

	if (*i) {
		fields_free(identity_fields, *i);
		free(*i);
		*i = NULL;
	}
}

static const struct field fields[] = {
	{.key = "table", .type = F_IDENT, .offset = offsetof(struct set_replica_identity, table), .required = true},
	{.key = "identity", .type = F_CUSTOM, .offset = offsetof(struct set_replica_identity, identity), .required = true,
	 .parse = identity_parse, .free = identity_free},
	FIELD_END
};

static void
compile(struct compile_ctx *cc, const void *data)
{
	const struct set_replica_identity *r = data;
	const char *type = r->identity->type;
	char *t = plan_qualified(cc->plan, r->table), *rel = sql_literal(t);
	char *key = xasprintf("%d:%s:replica_identity", cc->op_index, r->table);
	/* d, f, n, or i:"index name" */
	char *was = xasprintf("SELECT c.relreplident::text || coalesce(':' || (SELECT pg_catalog.quote_ident(ic.relname) "
			      "FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid "
			      "WHERE x.indrelid = c.oid AND x.indisreplident), '') "
			      "FROM pg_class c WHERE c.oid = %s::regclass",
			      rel);
	char *save = saved_put_sql(cc->plan->name, key, was), *saved = saved_get_sql(cc->plan->name, key);
	char *set, *body;
	struct step *s;

	if (strcasecmp(type, "index") == 0) {
		char *qi = sql_ident(r->identity->index);

		set = alter_table(cc, r->table, "REPLICA IDENTITY USING INDEX %s", qi);
		free(qi);
	} else
		set = alter_table(cc, r->table, "REPLICA IDENTITY %s",
				  strcasecmp(type, "full") == 0 ? "FULL" : strcasecmp(type, "default") == 0 ? "DEFAULT" : "NOTHING");
	body = xasprintf("\nDECLARE\n"
			 "  was text := %s;\n"
			 "BEGIN\n"
			 "  CASE pg_catalog.left(was, 1)\n"
			 "    WHEN 'd' THEN ALTER TABLE %s REPLICA IDENTITY DEFAULT;\n"
			 "    WHEN 'f' THEN ALTER TABLE %s REPLICA IDENTITY FULL;\n"
			 "    WHEN 'n' THEN ALTER TABLE %s REPLICA IDENTITY NOTHING;\n"
			 "    WHEN 'i' THEN EXECUTE pg_catalog.format('ALTER TABLE %%s REPLICA IDENTITY USING INDEX %%s', %s,\n"
			 "                                       pg_catalog.substr(was, 3));\n"
			 "    ELSE RAISE EXCEPTION 'the replica identity of %% before the migration was not saved', %s;\n"
			 "  END CASE;\n"
			 "END\n",
			 saved, t, t, t, rel, rel);
	s = compile_emit(cc, PHASE_EXPAND, r->table,
		 xasprintf("set replica identity of %s to %s%s%s", r->table, type, r->identity->index ? " " : "",
			   r->identity->index ? r->identity->index : ""),
		 xasprintf("%s;\n%s", save, set), do_block(body));
	s->multi = true;
	free(body);
	free(set);
	free(save);
	free(saved);
	free(was);
	free(key);
	free(t);
	free(rel);
}

const struct op_kind op_set_replica_identity = {
	.name = "set_replica_identity",
	.size = sizeof(struct set_replica_identity),
	.fields = fields,
	.compile = compile,
};
