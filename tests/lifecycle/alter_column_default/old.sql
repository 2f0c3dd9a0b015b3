INSERT INTO items (label, status, currency) VALUES ('old insert', 'new', 'EUR');
UPDATE items SET status = 'closed' WHERE id BETWEEN 101 AND 110;
