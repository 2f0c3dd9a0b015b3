INSERT INTO events (happened_on, kind, payload) VALUES ('2024-02-02', 'view', 'new insert');
UPDATE events SET kind = 'buy' WHERE id BETWEEN 201 AND 205;
