CREATE TABLE audit (id bigserial PRIMARY KEY, item_id bigint NOT NULL REFERENCES items (id), what text NOT NULL);
CREATE FUNCTION audit_item() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  INSERT INTO audit (item_id, what) VALUES (NEW.id, TG_OP);
  RETURN NEW;
END
$f$;
CREATE TRIGGER items_audit AFTER INSERT OR UPDATE ON items FOR EACH ROW EXECUTE FUNCTION audit_item();
