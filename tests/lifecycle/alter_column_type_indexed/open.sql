SELECT count(*) = 0 FROM items WHERE _pgstep_items_price_new IS DISTINCT FROM price;
