-- no primary key; partitioned by taken_at, one partition hashed again by
-- sensor; taken_at may be NULL but is not, sensor is NOT NULL
CREATE TABLE readings (
    sensor integer NOT NULL,
    taken_at timestamptz,
    value numeric NOT NULL
) PARTITION BY RANGE (taken_at);
CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01 00:00+00') TO ('2026-01-02 00:00+00');
CREATE TABLE readings_later PARTITION OF readings FOR VALUES FROM ('2026-01-02 00:00+00') TO ('2028-01-01 00:00+00')
    PARTITION BY HASH (sensor);
CREATE TABLE readings_later_0 PARTITION OF readings_later FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE readings_later_1 PARTITION OF readings_later FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO readings (sensor, taken_at, value)
SELECT g % 10, timestamptz '2026-01-01 00:00+00' + (g / 10) * interval '1 minute', g / 7.0
FROM generate_series(1, 3000) g;
