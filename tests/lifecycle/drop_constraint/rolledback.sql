SELECT pg_temp.refused($$INSERT INTO items (label, price) VALUES ('free', 0)$$, '23514');
