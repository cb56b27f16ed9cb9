-- Schema 4: article translations that failed for good, answered to every reader (issue 26).
ALTER TABLE pending ADD COLUMN failure TEXT;
