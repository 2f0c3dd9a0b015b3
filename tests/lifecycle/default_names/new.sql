INSERT INTO items (price, buyer_id, sku, owner_id) VALUES (5, 4, 'SKU-NEW', 4);
