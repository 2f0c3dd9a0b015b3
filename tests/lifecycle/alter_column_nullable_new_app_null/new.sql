-- The new application may leave the note NULL.
INSERT INTO items (label, note) VALUES ('new insert', NULL);
UPDATE items SET note = NULL WHERE id BETWEEN 201 AND 205;
