-- Before a phase (tests/lib/oracle.sh): the relfilenode of every table of
-- the user's schemas (partitioned ones have none), of its TOAST table and
-- of every index of both, into pgstep_oracle.filenode; prints where the
-- oracle's logs and pgstep's step log end, for oracle_check.sql.
SET search_path = pg_catalog;
DELETE FROM pgstep_oracle.filenode;
INSERT INTO pgstep_oracle.filenode (oid, what, filenode)
SELECT c.oid, format('table %s', c.oid::regclass), pg_relation_filenode(c.oid)
FROM pg_class c WHERE c.oid IN (SELECT pgstep_oracle.user_tables()) AND c.relkind <> 'p'
UNION ALL
SELECT c.reltoastrelid, format('the TOAST table of %s', c.oid::regclass), pg_relation_filenode(c.reltoastrelid)
FROM pg_class c WHERE c.oid IN (SELECT pgstep_oracle.user_tables()) AND c.reltoastrelid <> 0
UNION ALL
SELECT i.indexrelid, format('index %s of %s', i.indexrelid::regclass, c.oid::regclass), pg_relation_filenode(i.indexrelid)
FROM pg_class c JOIN pg_index i ON i.indrelid IN (c.oid, c.reltoastrelid)
WHERE c.oid IN (SELECT pgstep_oracle.user_tables()) AND c.relkind <> 'p';
SELECT (SELECT coalesce(max(id), 0) FROM pgstep_oracle.ddl),
       (SELECT coalesce(max(id), 0) FROM pgstep_oracle.cmd),
       (SELECT coalesce(max(id), 0) FROM pgstep_oracle.rewrite),
       (SELECT coalesce(max(id), 0) FROM pgstep_oracle.steps());
