CREATE TABLE owners (
    id bigint PRIMARY KEY,
    name text NOT NULL UNIQUE
);
INSERT INTO owners SELECT g, 'owner ' || g FROM generate_series(1, 100) g;
CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    owner_name text
);
-- every 10th item has no owner, and every 7th an owner that does not exist
INSERT INTO items (label, owner_name)
SELECT 'item ' || g,
       CASE WHEN g % 10 = 0 THEN NULL WHEN g % 7 = 0 THEN 'nobody' ELSE 'owner ' || (1 + g % 100) END
FROM generate_series(1, 3000) g;
