-- Reads of the sample data and literal writes into {{.Table}}, printed as
-- CSV (psql --csv), with the command tags of the writes.
\timing off
SELECT userId, name, email FROM Users WHERE userId = 'u001';
SELECT orderId, totalAmount, orderStatus FROM Orders WHERE customerId = 'u001' ORDER BY orderId LIMIT 3;
SELECT productId, price, stock, featured, dimensions FROM Products WHERE productId = 'p002';
SELECT COUNT(*) FROM Orders WHERE customerId = 'u001';
INSERT INTO {{.Table}} (id, n, label) VALUES ('a', 1.5, 'one'), ('b', 2, 'two, "quoted"');
UPDATE {{.Table}} SET label = 'uno' WHERE id = 'a';
SELECT id, n, label FROM {{.Table}} WHERE id IN ('a', 'b') ORDER BY id;
DELETE FROM {{.Table}} WHERE id = 'b';
SELECT id FROM {{.Table}} WHERE id = 'b';
