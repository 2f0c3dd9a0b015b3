DROP TABLE legacy_prices;
