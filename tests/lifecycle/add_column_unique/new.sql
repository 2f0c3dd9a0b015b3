-- The new application sets code itself.
INSERT INTO items (label, code) VALUES ('new insert', 'NEW-1');
UPDATE items SET code = 'NEW-' || id WHERE id BETWEEN 201 AND 205;
