CREATE TABLE "Ünïcødé_表" (id bigint PRIMARY KEY, "جدول" text);
INSERT INTO "Ünïcødé_表" SELECT g, 'v' || g FROM generate_series(1, 200) g;
