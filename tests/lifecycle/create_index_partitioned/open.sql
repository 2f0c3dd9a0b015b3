-- each index partitioned, valid, with a valid index attached on every one of the 5 leaf partitions
SELECT count(*) = 3 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE i.indrelid = 'events'::regclass AND i.indisvalid AND c.relkind = 'I'
   AND c.relname IN ('events_kind_day_idx', 'events_payload_idx', 'events_code_day_idx');
SELECT count(*) = 15 FROM (VALUES ('events_kind_day_idx'), ('events_payload_idx'), ('events_code_day_idx')) v(idx),
       LATERAL pg_partition_tree(v.idx::regclass) t JOIN pg_class c ON c.oid = t.relid JOIN pg_index i ON i.indexrelid = t.relid
 WHERE c.relkind = 'i' AND i.indisvalid;
-- the sub-partitioned partition has its own partitioned index, valid
SELECT indisvalid FROM pg_index WHERE indexrelid = 'events_2024_kind_day_idx'::regclass;
-- named as PostgreSQL names them, defined as the plan says
SELECT pg_get_indexdef('events_2024_h2_kind_day_idx'::regclass) =
       'CREATE INDEX events_2024_h2_kind_day_idx ON public.events_2024_h2 USING btree (kind, day DESC) WHERE (kind <> ''view''::text)';
-- no INVALID index anywhere
SELECT NOT EXISTS (SELECT FROM pg_index WHERE NOT indisvalid);
-- the unique index refuses a duplicate, from either application
SELECT pg_temp.refused($$INSERT INTO events (id, day, kind, code) VALUES (300001, '2023-05-05', 'buy', 'OLD1')$$, '23505');
-- the writes
SELECT count(*) = 3000 FROM events;
SELECT count(*) = 12 FROM events WHERE payload @> '{"n": 9}';
