-- A few thousand rows for the fidelity fixture (fidelity.sql), so the demo and the data tests move real data.
INSERT INTO app.customers (email, name, home, status, score, notes)
SELECT 'user' || g || '@example.com', 'Customer ' || g, ROW('Street ' || g, 'City ' || (g % 17), lpad(g::text, 5, '0'))::app.address,
       (ARRAY['new', 'paid', 'shipped', 'it''s done'])[1 + g % 4]::app.order_status, (g % 1000) / 10.0, repeat('note ', g % 20)
FROM generate_series(1, 2000) g;

INSERT INTO app.orders (customer_id, quantity, total, created_at)
SELECT 100 + (g % 2000), 1 + g % 5, (g % 500) * 1.5, date '2024-01-01' + (g % 600)
FROM generate_series(1, 5000) g;

INSERT INTO app.departments (id, manager_id) SELECT g, NULL FROM generate_series(1, 20) g;
INSERT INTO app.employees (id, department_id) SELECT g, 1 + g % 20 FROM generate_series(1, 400) g;
UPDATE app.departments SET manager_id = id * 10;

INSERT INTO app.events (id, happened, kind, payload)
SELECT g, date '2023-12-01' + (g % 800), (ARRAY['click', 'view', 'buy'])[1 + g % 3], jsonb_build_object('n', g, 'tag', 't' || (g % 7))
FROM generate_series(1, 3000) g;
INSERT INTO app.event_refs (id, event_id, happened, kind) SELECT id, id, happened, kind FROM app.events WHERE id % 10 = 0;
INSERT INTO app.hashed SELECT g, md5(g::text) FROM generate_series(1, 1000) g;

INSERT INTO audit.log (message) SELECT 'message ' || g FROM generate_series(1, 500) g;
INSERT INTO audit.log_special (message, severity) SELECT 'special ' || g, g % 10 FROM generate_series(1, 100) g;
INSERT INTO audit.scratch SELECT 'k' || g, decode(md5(g::text), 'hex') FROM generate_series(1, 200) g;

INSERT INTO app.documents (id, owner_name, body) SELECT g, 'user' || (g % 5), CASE WHEN g % 9 = 0 THEN NULL ELSE 'body ' || g END FROM generate_series(1, 200) g;
INSERT INTO "Mixed Case"."Order Lines" ("select", "quote""col", "Status", "order")
SELECT 'sel ' || g, 'q"' || g, (ARRAY['A', 'b'])[1 + g % 2]::"Mixed Case"."Odd Type", 1 + g % 5000 FROM generate_series(1, 1000) g;
INSERT INTO "with space"."table with space" SELECT g, upper(md5(g::text)) FROM generate_series(1, 100) g;
INSERT INTO "quote""d"."ta""ble" SELECT g FROM generate_series(1, 100) g;
INSERT INTO app.orders_log SELECT g, 'log ' || g FROM generate_series(1, 50) g;
INSERT INTO public.tags SELECT 'Tag' || g, g / 10.0 FROM generate_series(1, 300) g;

REFRESH MATERIALIZED VIEW app.customer_stats;
REFRESH MATERIALIZED VIEW app.stats_of_stats;
ANALYZE;
