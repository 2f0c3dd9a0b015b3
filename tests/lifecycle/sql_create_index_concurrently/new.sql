INSERT INTO items (label) VALUES ('new insert');
