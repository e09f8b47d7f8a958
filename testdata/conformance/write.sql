-- Write statements in DynamoDB's PartiQL, run in order on two identical
-- tables: {T} is replaced by the table's name. After each statement both
-- must have succeeded or both failed, and the tables must hold the same
-- items. The tables have key (pk TEXT, sk NUMERIC). UPDATE and DELETE
-- without the full key are a ddbsql extension (DynamoDB refuses them), so
-- they are not here: testdata/engine/setwrite.txt covers them, RETURNING
-- included.
INSERT INTO "{T}" VALUE {'pk': 'a', 'sk': 1, 'n': 10, 's': 'x', 'l': [1, 2], 'm': {'k': 'v'}, 'ss': <<'p', 'q'>>, 'ns': <<1, 2>>}
INSERT INTO "{T}" VALUE {'pk': 'a', 'sk': 2, 'n': 1.50, 'nul': NULL, 'b': TRUE}
INSERT INTO "{T}" VALUE {'pk': 'b', 'sk': 1, 'n': -3, 'tags': ['x', 'y', 'z']}
INSERT INTO "{T}" VALUE {'pk': 'a', 'sk': 1, 'n': 99}
INSERT INTO "{T}" VALUE {'pk': 'c'}
UPDATE "{T}" SET n = 11 WHERE pk = 'a' AND sk = 1
UPDATE "{T}" SET n = n + 5 WHERE pk = 'a' AND sk = 1
UPDATE "{T}" SET n = n - 1.25 WHERE pk = 'a' AND sk = 2
UPDATE "{T}" SET s = 'y' SET newattr = 'new' WHERE pk = 'a' AND sk = 1
UPDATE "{T}" SET l = list_append(l, [3, 4]) WHERE pk = 'a' AND sk = 1
UPDATE "{T}" SET ss = set_add(ss, <<'r'>>) WHERE pk = 'a' AND sk = 1
UPDATE "{T}" SET ns = set_delete(ns, <<1>>) WHERE pk = 'a' AND sk = 1
UPDATE "{T}" SET m.k = 'w' WHERE pk = 'a' AND sk = 1
UPDATE "{T}" SET m.other = 5 WHERE pk = 'a' AND sk = 1
UPDATE "{T}" REMOVE newattr WHERE pk = 'a' AND sk = 1
UPDATE "{T}" SET tags[1] = 'Y' WHERE pk = 'b' AND sk = 1
UPDATE "{T}" REMOVE tags[0] WHERE pk = 'b' AND sk = 1
UPDATE "{T}" SET n = 1 WHERE pk = 'a' AND sk = 1 AND n > 100
UPDATE "{T}" SET n = 1 WHERE pk = 'a' AND sk = 1 AND s = 'y'
UPDATE "{T}" SET n = 1 WHERE pk = 'zz' AND sk = 1
UPDATE "{T}" SET pk = 'q' WHERE pk = 'a' AND sk = 1
UPDATE "{T}" SET flag = TRUE WHERE pk = 'a' AND sk = 2 AND nul IS NULL
UPDATE "{T}" SET flag = FALSE WHERE pk = 'a' AND sk = 2 AND missingattr IS MISSING
DELETE FROM "{T}" WHERE pk = 'zz' AND sk = 9
DELETE FROM "{T}" WHERE pk = 'b' AND sk = 1 AND n > 0
DELETE FROM "{T}" WHERE pk = 'b' AND sk = 1 AND n < 0
DELETE FROM "{T}" WHERE pk = 'a' AND sk = 2
