-- Functions for the check files, made in pg_temp of the session that runs
-- them (check in run.sh), so that nothing of them is left in the database.
--
-- pg_temp.refused(statement [, sqlstate]): true when the statement fails
-- (with that SQLSTATE, if given: 23514 a check, 23505 a unique, 23503 a
-- foreign key, 23502 a NOT NULL); false when it succeeds, and then it is
-- undone (a subtransaction), so that a check never writes.
CREATE FUNCTION pg_temp.refused(statement text, state text DEFAULT NULL) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    done boolean := false;
BEGIN
    BEGIN
        EXECUTE statement;
        done := true;
        RAISE EXCEPTION USING ERRCODE = 'LC000';
    EXCEPTION WHEN OTHERS THEN
        IF done THEN
            RETURN false;
        END IF;
        IF state IS NOT NULL AND SQLSTATE <> state THEN
            RAISE WARNING 'refused: % failed with %, not %: %', statement, SQLSTATE, state, SQLERRM;
            RETURN false;
        END IF;
        RETURN true;
    END;
END $$;
