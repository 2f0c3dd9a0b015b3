/* Indexes on partitioned tables, built without a long lock.
 *
 * PostgreSQL cannot CREATE INDEX CONCURRENTLY on a partitioned table. The
 * way it documents instead: CREATE INDEX ... ON ONLY the table (invalid,
 * nothing built), CREATE INDEX CONCURRENTLY on each partition, and ALTER
 * INDEX ... ATTACH PARTITION each; the index becomes valid with the last
 * attach. A partition that is itself partitioned gets its own ON ONLY
 * index, attached the same way, over its own partitions.
 *
 * A constraint's index (UNIQUE, PRIMARY KEY) cannot become the constraint
 * of a partitioned table (ADD CONSTRAINT ... USING INDEX is refused
 * there). So its build step builds the unique index of each partition
 * CONCURRENTLY, and its attach step, in switch, makes each the constraint
 * of its partition (USING INDEX, no scan), then, under one ACCESS
 * EXCLUSIVE lock on the table taken first, checks that every partition
 * has one and runs ADD CONSTRAINT on the table: PostgreSQL then attaches
 * the partitions' constraints instead of building anything.
 *
 * Whether the table is partitioned, and its partitions, are read when the
 * step runs; on a plain table the step runs its own SQL, as any step.
 * Each partition's index gets the name PostgreSQL would give it, saved in
 * pgstep.saved before it is built, so that a resumed run builds only what
 * is missing and a rollback drops exactly what was built.
 */
#ifndef PGSTEP_PARTIDX_H
#define PGSTEP_PARTIDX_H

#include "compile/compile.h"
#include "engine/engine.h"

/* A step with an index_build (compile.h), forward and back (engine.c
 * calls them). The undo is safe to run on nothing. `partial`: the build
 * failed or was interrupted half way; then an index of the step's name
 * is dropped only if it is what the build left (INVALID, or holding the
 * partitions' indexes it built), never one that was there before. */
enum engine_result partidx_run(struct engine *e, const struct plan *p, const struct step *s, int index, char *err,
			       size_t errlen);
enum engine_result partidx_undo(struct engine *e, const struct plan *p, const struct step *s, int index, bool partial,
				char *err, size_t errlen);

/* The name PostgreSQL gives an index of `table` that it names itself
 * (ChooseIndexName): <table>_<names>_<label>, the columns joined by "_"
 * (a name met before numbered), shortened to fit in 63 bytes; the label
 * is followed by `pass` when pass > 0, as PostgreSQL does while the name
 * is taken. `names` may be NULL (a primary key's "pkey"). The caller
 * frees. */
char *partidx_index_name(const char *table, const struct strlist *names, const char *label, int pass);

#endif
