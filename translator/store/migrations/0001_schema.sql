-- Schema 1: everything the store protocol keeps (the SQLite store's schema 3, in PostgreSQL's types).
-- Memory entries as UTF-8 bytes: a segment may hold any character, NUL included, which text cannot.
CREATE TABLE segments (
    key        BYTEA PRIMARY KEY,
    target     BYTEA NOT NULL,
    written_at DOUBLE PRECISION NOT NULL
);
CREATE INDEX segments_written_at ON segments (written_at);

CREATE TABLE articles (
    id         TEXT PRIMARY KEY,
    latest     INTEGER NOT NULL,
    created_at DOUBLE PRECISION NOT NULL
);

CREATE TABLE versions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    format     TEXT NOT NULL,
    url        TEXT,
    digest     TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (article_id, version)
);
CREATE INDEX versions_created_at ON versions (created_at);

CREATE TABLE translations (
    article_id TEXT NOT NULL,
    version    INTEGER NOT NULL,
    lang       TEXT NOT NULL,
    data       TEXT NOT NULL,
    stored_at  DOUBLE PRECISION NOT NULL,
    seq        BIGSERIAL NOT NULL,
    PRIMARY KEY (article_id, version, lang),
    FOREIGN KEY (article_id, version) REFERENCES versions (article_id, version) ON DELETE CASCADE
);
CREATE INDEX translations_stored_at ON translations (stored_at);

CREATE TABLE glossary_edits (
    pair       TEXT NOT NULL,
    source     TEXT NOT NULL,
    target     TEXT,            -- NULL: the term is deleted
    flags      TEXT,
    updated_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (pair, source)
);

CREATE TABLE human_segments (
    lang       TEXT NOT NULL,
    source     TEXT NOT NULL,   -- normalised source segment
    data       TEXT NOT NULL,   -- JSON HumanEntry
    updated_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (lang, source)
);

-- No foreign key: the state may be set just before the article's first version is stored.
CREATE TABLE publication (
    article_id    TEXT PRIMARY KEY,
    published     BOOLEAN NOT NULL,
    embargo_until DOUBLE PRECISION
);
