CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    email text
);
INSERT INTO items (label, email)
SELECT 'item ' || g, CASE WHEN g % 9 = 0 THEN NULL ELSE 'item' || g || '@example.com' END
FROM generate_series(1, 3000) g;
