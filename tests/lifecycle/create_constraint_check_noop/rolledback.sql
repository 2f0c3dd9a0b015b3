SELECT NOT pg_temp.refused($$INSERT INTO items (label, price, discount) VALUES ('too much', 1, 2)$$);
