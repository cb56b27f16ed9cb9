-- Schema 3: article translations accepted and not finished, resumed at start-up (issue 26).
CREATE TABLE pending (
    lang       TEXT NOT NULL,
    article_id TEXT NOT NULL,
    version    INTEGER NOT NULL,
    queued_at  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (lang, article_id, version)
);
