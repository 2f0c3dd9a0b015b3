-- a partitioned table, one of whose partitions is partitioned again
CREATE TABLE events (
    id bigint NOT NULL,
    day date NOT NULL,
    kind text NOT NULL,
    code text NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (id, day)
) PARTITION BY RANGE (day);
CREATE TABLE events_2023 PARTITION OF events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY RANGE (day);
CREATE TABLE events_2024_h1 PARTITION OF events_2024 FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');
CREATE TABLE events_2024_h2 PARTITION OF events_2024 FOR VALUES FROM ('2024-07-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_default PARTITION OF events DEFAULT;
INSERT INTO events (id, day, kind, code, payload)
SELECT g, date '2023-01-01' + g % 1100, (ARRAY['click', 'view', 'buy'])[1 + g % 3], 'C' || g, jsonb_build_object('n', g % 7)
FROM generate_series(1, 3000) g;
