COMMENT ON COLUMN items.label IS 'what the customer sees';
COMMENT ON COLUMN items.price IS 'in cents';
