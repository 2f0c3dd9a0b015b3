-- The new application knows nothing of legacy_prices.
INSERT INTO items (label) VALUES ('new insert');
