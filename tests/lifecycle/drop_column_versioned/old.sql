INSERT INTO items (label, legacy_code) VALUES ('old insert', 'OLD-1');
UPDATE items SET legacy_code = 'OLD-U' || id WHERE id BETWEEN 101 AND 110;
