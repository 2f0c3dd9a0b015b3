INSERT INTO items (shop, sku, label) VALUES (1, 'SKU-OLD', 'old insert'), (2, 'SKU-OLD', 'old insert, other shop'),
                                            (1, NULL, 'old insert, no sku'), (1, NULL, 'old insert, no sku either');
UPDATE items SET sku = 'SKU-U' || id WHERE id BETWEEN 101 AND 110;
