INSERT INTO items (label) VALUES ('old insert, default');
