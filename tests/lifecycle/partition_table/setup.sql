CREATE TABLE events (
    id bigserial PRIMARY KEY,
    happened_on date NOT NULL,
    kind text NOT NULL DEFAULT 'click' CHECK (kind <> ''),
    payload text
);
COMMENT ON COLUMN events.kind IS 'what happened';
-- 2023, 2024, and some of 2025 for the default partition
INSERT INTO events (happened_on, kind, payload)
SELECT date '2023-01-01' + (g % 800), CASE WHEN g % 3 = 0 THEN 'view' ELSE 'click' END, 'event ' || g
FROM generate_series(1, 4000) g;
