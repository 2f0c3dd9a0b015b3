\set id random(1, 20000)
\set id2 random(1, 20000)
BEGIN;
UPDATE users SET email = 'moved' || :id || '@example.com', created_at = created_at + interval '200 days' WHERE id = :id;
INSERT INTO users (name, email, age, created_at) VALUES ('old app', 'old@example.com', '30', now());
INSERT INTO app_log VALUES (1);
WITH d AS (DELETE FROM users WHERE id = :id2 RETURNING 1) INSERT INTO app_log SELECT -1 FROM d;
COMMIT;
