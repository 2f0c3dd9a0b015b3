SELECT (SELECT relkind FROM pg_class WHERE relname = 'テーブル 🐘') = 'r'
   AND (SELECT relkind FROM pg_class WHERE relname = 'Ünïcødé_表') = 'v'
   AND (SELECT count(*) FROM "Ünïcødé_表") = 200
   AND (SELECT count(*) FROM "テーブル 🐘" WHERE "名前_é" = 'ok' AND U&"e\0301te\0301" = "جدول") = 200
