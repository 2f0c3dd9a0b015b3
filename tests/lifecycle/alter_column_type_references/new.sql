-- The new application writes owner_id: until switch that is the shadow
-- column (no versioned schema yet).
UPDATE items SET _pgstep_items_owner_new = 99 WHERE label = 'item 300';
