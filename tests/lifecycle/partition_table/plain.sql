-- What a DBA does by hand, in a maintenance window.
ALTER TABLE events RENAME TO events_old;
ALTER TABLE events_old RENAME CONSTRAINT events_pkey TO events_old_pkey;
CREATE TABLE events (
    LIKE events_old INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS,
    PRIMARY KEY (id, happened_on)
) PARTITION BY RANGE (happened_on);
CREATE TABLE events_y2023 PARTITION OF events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE events_y2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_default PARTITION OF events DEFAULT;
INSERT INTO events SELECT * FROM events_old;
ALTER SEQUENCE events_id_seq OWNED BY events.id;
DROP TABLE events_old;
