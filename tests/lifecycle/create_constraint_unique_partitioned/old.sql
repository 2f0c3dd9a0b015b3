INSERT INTO items (id, shop, sku, label) VALUES (5001, 1, 'SKU-OLD', 'old insert'), (5002, 2, 'SKU-OLD', 'old insert, other shop'),
                                                (5003, 1, NULL, 'old insert, no sku'), (5004, 1, NULL, 'old insert, no sku either');
UPDATE items SET sku = 'SKU-U' || id WHERE id BETWEEN 101 AND 110;
