CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    price integer NOT NULL DEFAULT 0
);
-- the conversions up and down call, functions of public
CREATE FUNCTION to_units(cents integer) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT cents::numeric / 100 $$;
CREATE FUNCTION to_cents(units numeric) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT (units * 100)::integer $$;
INSERT INTO items (label, price) SELECT 'item ' || g, g * 7 FROM generate_series(1, 3000) g;
