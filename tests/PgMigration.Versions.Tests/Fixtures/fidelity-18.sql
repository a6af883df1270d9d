-- What PostgreSQL 18 added, loaded after fidelity.sql (and fidelity-17.sql) on sources of 18: NOT NULL
-- constraints with names of their own, NO INHERIT and NOT VALID, on inherited, LIKE-copied and
-- partitioned tables; virtual generated columns.
CREATE SCHEMA v18;

CREATE TABLE v18.named (
    id int CONSTRAINT named_id_required NOT NULL,
    plain int NOT NULL,
    local_only int CONSTRAINT local_only_required NOT NULL NO INHERIT,
    note text
);
COMMENT ON CONSTRAINT named_id_required ON v18.named IS 'every row has an id';
CREATE TABLE v18.named_child (extra int CONSTRAINT extra_present NOT NULL) INHERITS (v18.named);
CREATE TABLE v18.liked (LIKE v18.named);
INSERT INTO v18.named VALUES (1, 1, 1, NULL), (2, 2, 2, 'two');
INSERT INTO v18.named_child VALUES (3, 3, NULL, 'child', 3);
INSERT INTO v18.liked VALUES (4, 4, 4, NULL);

-- Rows from before the rule: the constraint holds for new rows only, so NULLs must still copy.
CREATE TABLE v18.legacy (id int PRIMARY KEY, code text);
INSERT INTO v18.legacy VALUES (1, NULL), (2, 'b');
ALTER TABLE v18.legacy ADD CONSTRAINT legacy_code_required NOT NULL code NOT VALID;

CREATE TABLE v18.measures (
    id int NOT NULL,
    taken date CONSTRAINT measures_taken_required NOT NULL,
    value numeric
) PARTITION BY RANGE (taken);
CREATE TABLE v18.measures_2024 PARTITION OF v18.measures FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE v18.measures_2025 (
    id int CONSTRAINT measures_2025_id_own NOT NULL,
    taken date CONSTRAINT measures_2025_taken_own NOT NULL,
    value numeric
);
ALTER TABLE v18.measures ATTACH PARTITION v18.measures_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO v18.measures SELECT g, date '2024-06-01' + g, g / 3.0 FROM generate_series(1, 400) g;

CREATE TABLE v18.prices (
    id int PRIMARY KEY,
    net numeric NOT NULL,
    gross numeric GENERATED ALWAYS AS (net * 1.2) VIRTUAL,
    gross_stored numeric GENERATED ALWAYS AS (net * 1.2) STORED,
    label text GENERATED ALWAYS AS ('item ' || id) VIRTUAL NOT NULL
);
INSERT INTO v18.prices (id, net) SELECT g, g * 2.5 FROM generate_series(1, 100) g;
