SELECT count(*) = 3003 FROM items WHERE email IS NOT NULL;
SELECT count(*) = 10 FROM items WHERE id BETWEEN 101 AND 110 AND email = 'item' || id || '@unknown.example';
