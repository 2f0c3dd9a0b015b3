SELECT attnotnull AND (SELECT count(*) FROM users WHERE email IS NULL) = 0
   AND (SELECT count(*) FROM users WHERE id % 101 = 0 AND id <= 20000 AND email <> 'user' || id || '@unknown.invalid') = 0
FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'email'
