-- The new application will write prices of 0 once the check is gone;
-- until contract it writes positive ones.
INSERT INTO items (label, price) VALUES ('new insert', 1);
UPDATE items SET price = 1 WHERE id BETWEEN 201 AND 205;
