-- The new application writes units, into the column of the new type: until
-- switch that is the shadow column (no versioned schema yet). It only
-- updates here: its INSERTs lose their value (alter_column_type_new_app_insert).
UPDATE items SET _pgstep_items_price_new = 12.34 WHERE label = 'item 300';
UPDATE items SET _pgstep_items_price_new = 0.50 WHERE id BETWEEN 201 AND 205;
