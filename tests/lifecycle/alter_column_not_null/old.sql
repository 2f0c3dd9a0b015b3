-- The old application still writes NULLs.
INSERT INTO items (label, email) VALUES ('old insert', NULL), ('old insert, email', 'old@example.com');
UPDATE items SET email = NULL WHERE id BETWEEN 101 AND 110;
