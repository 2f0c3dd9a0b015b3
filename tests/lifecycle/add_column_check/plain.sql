ALTER TABLE items ADD COLUMN owner_id bigint
    CONSTRAINT items_owner_id_positive CHECK (owner_id > 0)
    CONSTRAINT items_owner_id_fkey REFERENCES owners (id) ON DELETE SET NULL;
UPDATE items SET owner_id = (SELECT o.id FROM owners o WHERE o.name = owner_name);
