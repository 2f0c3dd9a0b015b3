-- A profile update by primary key.
\set id random(1, :rows)
UPDATE users SET email = 'user' || :id || '.' || (random() * 1000)::int || '@example.com' WHERE id = :id;
