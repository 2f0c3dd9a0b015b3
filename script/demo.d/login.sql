-- A login: read a user by primary key.
\set id random(1, :rows)
SELECT * FROM users WHERE id = :id;
