-- Schema 2: "the most recently stored translations into a language" (the memory export, the
-- article lists) reads an index instead of sorting every translation of every language.
CREATE INDEX translations_lang_recent ON translations (lang, stored_at DESC, seq DESC);
