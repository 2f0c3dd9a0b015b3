SELECT to_regclass('orders') IS NULL AND to_regclass('order_notes') IS NULL;
