CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    price integer NOT NULL DEFAULT 0
);
COMMENT ON TABLE items IS 'what we sell';
-- roles belong to the cluster, where the oracle database runs this file too
DO $$ BEGIN CREATE ROLE lifecycle_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
GRANT SELECT ON items TO lifecycle_reader;
INSERT INTO items (label, price) SELECT 'item ' || g, g FROM generate_series(1, 3000) g;
