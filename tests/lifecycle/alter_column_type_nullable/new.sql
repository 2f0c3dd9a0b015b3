-- The new application writes the column of the new type: until switch
-- that is the shadow column (no versioned schema). A NULL from it would
-- stop the rollback (tests/it_nullable_rollback.sh).
UPDATE items SET _pgstep_items_price_new = 5000000000 - 4999998766 WHERE label = 'item 300';
