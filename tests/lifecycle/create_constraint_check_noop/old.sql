INSERT INTO items (label, price, discount) VALUES ('old insert', 10, 10), ('old insert, no discount', 10, NULL);
UPDATE items SET discount = price WHERE id BETWEEN 101 AND 110;
