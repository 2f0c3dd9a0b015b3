CREATE TABLE bookings (
    id bigint GENERATED ALWAYS AS IDENTITY (START 1000 INCREMENT 10),
    room_id bigint NOT NULL REFERENCES rooms (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    during tstzrange NOT NULL,
    cancelled boolean NOT NULL DEFAULT false,
    ref text,
    guest_email text,
    nights integer NOT NULL CONSTRAINT bookings_nights_positive CHECK (nights > 0) NO INHERIT,
    PRIMARY KEY (id) WITH (fillfactor = 90),
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&) WITH (fillfactor = 80)
        WHERE (NOT cancelled),
    CONSTRAINT bookings_ref_guest_key UNIQUE NULLS NOT DISTINCT (ref, guest_email) INCLUDE (nights) WITH (fillfactor = 70)
);
COMMENT ON TABLE bookings IS 'a room for some nights';
