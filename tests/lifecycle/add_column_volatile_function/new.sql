-- The new application sets token itself.
INSERT INTO items (label, token) VALUES ('new insert', 'chosen');
