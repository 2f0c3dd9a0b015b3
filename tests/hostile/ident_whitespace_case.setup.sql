CREATE TABLE "UPPER" ("ID" text PRIMARY KEY, "Name" text);
INSERT INTO "UPPER" SELECT 'k' || g, 'n' || g FROM generate_series(1, 100) g;
