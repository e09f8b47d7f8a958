-- A syntax error stops the script (ON_ERROR_STOP): psql exits with 3 and
-- prints the SQLSTATE (VERBOSITY verbose) and a caret under the position.
\set VERBOSITY verbose
SELECT name FROM Users WHERE userId = 'u001';
SELECT * FORM Users;
SELECT 'not reached' AS never;
