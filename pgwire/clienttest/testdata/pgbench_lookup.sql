-- pgbench: one point lookup of a random sample user (u010 .. u050).
\set id random(10, 50)
SELECT userId, name, email FROM Users WHERE userId = 'u0' || :id;
