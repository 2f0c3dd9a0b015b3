CREATE INDEX events_kind_day_idx ON events (kind, day DESC) WHERE kind <> 'view';
CREATE INDEX events_payload_idx ON events USING gin (payload jsonb_path_ops);
CREATE UNIQUE INDEX events_code_day_idx ON events (code, day);
