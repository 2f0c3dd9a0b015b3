-- The new application writes units into the shadow column (no versioned
-- schema: it is the column of the new type until switch).
UPDATE items SET _pgstep_items_price_new = 12.34 WHERE label = 'item 300';
