SELECT count(*) = 3002 FROM items;
-- the check is gone; the other stays
INSERT INTO items (label, price) VALUES ('free', 0) RETURNING price = 0;
SELECT pg_temp.refused($$INSERT INTO items (label, price, qty) VALUES ('negative qty', 1, -1)$$, '23514');
