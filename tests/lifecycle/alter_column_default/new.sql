-- The new application relies on the new defaults.
INSERT INTO items (label) VALUES ('new insert');
