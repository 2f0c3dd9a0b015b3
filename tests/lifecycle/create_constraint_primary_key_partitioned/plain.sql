ALTER TABLE readings ADD CONSTRAINT readings_pkey PRIMARY KEY (sensor, taken_at);
