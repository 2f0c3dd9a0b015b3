-- The new application, through the view, cannot see legacy_code.
INSERT INTO items (label) VALUES ('new insert');
UPDATE items SET label = 'new update ' || id WHERE id BETWEEN 201 AND 205;
