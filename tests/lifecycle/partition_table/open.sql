SELECT relkind = 'p' FROM pg_class WHERE relname = '_pgstep_events_part';
SELECT count(*) = 3 FROM pg_inherits WHERE inhparent = '_pgstep_events_part'::regclass;
SELECT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'events'::regclass AND tgname = '_pgstep_events_mirror');
-- the table and its copy hold the same rows, every write of both applications included
SELECT count(*) = 3998 FROM events;
SELECT NOT EXISTS (SELECT * FROM events EXCEPT SELECT * FROM _pgstep_events_part)
   AND NOT EXISTS (SELECT * FROM _pgstep_events_part EXCEPT SELECT * FROM events);
SELECT count(*) = 2 FROM _pgstep_events_part WHERE payload LIKE 'old insert%';
SELECT count(*) = 1 FROM events_default WHERE payload = 'old insert, default partition';
SELECT happened_on = '2024-12-31' FROM events_y2024 WHERE id = 120;
SELECT count(*) = 0 FROM _pgstep_events_part WHERE id BETWEEN 131 AND 135;
SELECT count(*) = 5 FROM _pgstep_events_part WHERE kind = 'buy';
