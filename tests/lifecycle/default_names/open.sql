SELECT count(*) = 0 FROM items WHERE price < 0;
SELECT owner_id = 4 FROM items WHERE sku = 'SKU-NEW';
