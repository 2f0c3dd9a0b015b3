-- The new application inserts in units, into the column of the new type:
-- until switch that is the shadow column (no versioned schema yet).
INSERT INTO items (label, _pgstep_items_price_new) VALUES ('new insert', 12.34);
