-- no primary key; taken_at may be NULL but is not, sensor is NOT NULL
CREATE TABLE readings (
    sensor integer NOT NULL,
    taken_at timestamptz,
    value numeric NOT NULL
);
INSERT INTO readings (sensor, taken_at, value)
SELECT g % 10, timestamptz '2026-01-01 00:00+00' + (g / 10) * interval '1 minute', g / 7.0
FROM generate_series(1, 3000) g;
