INSERT INTO items (label, code) VALUES ('new insert', 'SKU-NEW');
