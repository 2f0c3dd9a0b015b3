SELECT to_regclass('"Ünïcødé_表"') IS NULL
   AND (SELECT count(*) FROM "テーブル 🐘" WHERE "名前_é" = 'ok' AND U&"e\0301te\0301" = 'v' || id) = 200
