-- \copy ... from 'file' sends COPY ... FROM STDIN and streams the file.
\copy {{.Table}} from '{{.File}}' csv header
-- COPY ... FROM STDIN in a script: the data follows, up to \.
COPY {{.Table}} (id, n, label) FROM STDIN;
t1	1	tab\tone
t2	\N	two
\.
\pset format csv
SELECT id, n, label FROM {{.Table}} WHERE id IN ('c1', 'c2', 't1', 't2') ORDER BY id;
