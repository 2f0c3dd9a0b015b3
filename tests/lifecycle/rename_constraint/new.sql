-- The new application names the constraint by its new name.
INSERT INTO items (sku, price) VALUES ('SKU-NEW', 2), ('SKU-OLD', 3) ON CONFLICT ON CONSTRAINT items_sku_unique DO NOTHING;
