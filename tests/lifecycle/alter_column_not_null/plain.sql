UPDATE items SET email = 'item' || id || '@unknown.example' WHERE email IS NULL;
ALTER TABLE items ALTER COLUMN email SET NOT NULL;
