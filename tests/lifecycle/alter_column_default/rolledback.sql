-- the old defaults again
INSERT INTO items (label) VALUES ('after rollback') RETURNING status = 'new' AND currency = 'EUR';
