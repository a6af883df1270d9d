-- What PostgreSQL 17 added, loaded after fidelity.sql on sources of 17 and later: the builtin
-- collation provider, in collations of the user's and the predefined pg_c_utf8.
CREATE SCHEMA v17;
CREATE COLLATION v17.builtin_c_utf8 (provider = builtin, locale = 'C.UTF-8');
CREATE COLLATION v17.builtin_c (provider = builtin, locale = 'C');
COMMENT ON COLLATION v17.builtin_c_utf8 IS 'code point order, Unicode case mapping';
CREATE TABLE v17.words (
    id int PRIMARY KEY,
    word text COLLATE v17.builtin_c_utf8,
    code text COLLATE v17.builtin_c,
    label text COLLATE pg_catalog.pg_c_utf8
);
INSERT INTO v17.words SELECT g, 'Wörd ' || g, 'c' || g, upper('ä' || g) FROM generate_series(1, 50) g;
