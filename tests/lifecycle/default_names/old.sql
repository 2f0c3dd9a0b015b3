INSERT INTO items (price, buyer_id, sku) VALUES (-5, 3, 'SKU-OLD');
