-- The old application: it knows nothing of token.
INSERT INTO items (label) VALUES ('old insert');
