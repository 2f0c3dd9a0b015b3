-- The new application sets salt itself, or leaves it NULL on purpose.
INSERT INTO items (label, salt) VALUES ('new insert', '\x00'::bytea);
