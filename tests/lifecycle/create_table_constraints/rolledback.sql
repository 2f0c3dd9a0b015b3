SELECT to_regclass('bookings') IS NULL;
