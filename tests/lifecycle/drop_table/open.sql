SELECT to_regclass('legacy_prices') IS NOT NULL;
SELECT count(*) = 1501 FROM legacy_prices;
SELECT count(*) = 5 FROM legacy_prices WHERE price = 0;
SELECT count(*) = 3002 FROM items;
