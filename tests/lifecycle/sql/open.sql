-- up ran: the audit trigger saw every write
SELECT count(*) = 12 FROM audit;
SELECT count(*) = 2 FROM audit WHERE what = 'INSERT';
