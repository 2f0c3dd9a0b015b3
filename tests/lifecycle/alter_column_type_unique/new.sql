-- The new application writes codes into the shadow column (no versioned
-- schema: it is the column of the new type until switch).
UPDATE items SET _pgstep_items_code_new = 'C800001' WHERE label = 'item 300';
