CREATE TABLE "t$pgstep$" (id bigint PRIMARY KEY, "$$" text NOT NULL);
INSERT INTO "t$pgstep$" SELECT g, repeat('$', g % 5 + 1) FROM generate_series(1, 250) g;
