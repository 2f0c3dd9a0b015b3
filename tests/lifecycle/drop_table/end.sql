SELECT to_regclass('legacy_prices') IS NULL;
SELECT count(*) = 3002 FROM items;
