-- down ran
SELECT to_regclass('audit') IS NULL AND to_regproc('audit_item') IS NULL;
SELECT count(*) = 3002 FROM items;
