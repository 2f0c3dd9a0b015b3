UPDATE items SET _pgstep_items_price_new = 6 WHERE id = 201;
