"""Runs psycopg2 against a ddbsql server; prints one JSON object per line.

psycopg2 interpolates parameters on the client and sends simple Query
messages; outside autocommit it opens a transaction with BEGIN before the
first statement, so the server must report ReadyForQuery status 'T'.

Usage: python3 psycopg2_client.py DSN SCRATCH_TABLE TRANSACTIONS(0|1)
"""

import base64
import decimal
import json
import sys

import psycopg2
import psycopg2.errors
import psycopg2.extensions


def emit(check, **fields):
    print(json.dumps({"check": check, **fields}, default=plain), flush=True)


def plain(v):
    """JSON form of the Python objects the driver returns, with their type."""
    if isinstance(v, decimal.Decimal):
        return str(v)
    if isinstance(v, (bytes, memoryview)):
        return base64.b64encode(bytes(v)).decode()
    raise TypeError(type(v).__name__)


def typed(v):
    return {"type": type(v).__name__, "value": v}


def section(conn, name, fn):
    """Runs one group of checks; an unexpected error is printed, the
    transaction it left open rolled back, and the next group runs."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - every failure is reported
        emit("exception", section=name, pgcode=getattr(e, "pgcode", None), message=str(e).strip())
        if not conn.closed:
            conn.rollback()


def main():
    dsn, scratch, transactions = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
    conn = psycopg2.connect(dsn)
    emit("connect", server_version=conn.server_version > 0, encoding=conn.encoding)

    conn.autocommit = True
    section(conn, "autocommit", lambda: autocommit_checks(conn, scratch))
    conn.autocommit = False
    section(conn, "implicitTransaction", lambda: implicit_transaction(conn))
    if transactions:
        section(conn, "transactionWrites", lambda: transaction_writes(conn, scratch))
    conn.close()


def autocommit_checks(conn, scratch):
    with conn.cursor() as cur:
        cur.execute("SELECT userId, name, email FROM Users WHERE userId = %s", ("u001",))
        emit("select", rows=cur.fetchall(), columns=[d.name for d in cur.description])

        cur.execute(
            "SELECT productId, name, price, stock, featured, dimensions, thumbnail FROM Products WHERE productId = %(id)s",
            {"id": "p001"},
        )
        row = cur.fetchone()
        emit("types", values=[typed(v) for v in row])

        cur.execute("SELECT COUNT(*) FROM Orders WHERE customerId = %s", ("u001",))
        emit("count", value=typed(cur.fetchone()[0]))

        cur.execute("INSERT INTO " + scratch + " (id, n, label) VALUES (%s, %s, %s)", ("a", decimal.Decimal("1.25"), "it's"))
        emit("insert", rowcount=cur.rowcount, status=cur.statusmessage)
        cur.execute("UPDATE " + scratch + " SET label = %s WHERE id = %s", ("updated", "a"))
        emit("update", rowcount=cur.rowcount)
        cur.execute("SELECT id, n, label FROM " + scratch + " WHERE id = %s", ("a",))
        emit("readBack", row=[typed(v) for v in cur.fetchone()])
        cur.execute("DELETE FROM " + scratch + " WHERE id = %s", ("a",))
        emit("delete", rowcount=cur.rowcount)
        cur.execute("SELECT id FROM " + scratch + " WHERE id = %s", ("a",))
        emit("afterDelete", rows=cur.fetchall())

        for sql, cls in [
            ("SELECT * FROM NoSuchTable WHERE id = 'x'", psycopg2.errors.UndefinedTable),
            ("SELECT * FORM Users", psycopg2.errors.SyntaxError),
        ]:
            try:
                cur.execute(sql)
                emit("error", sql=sql, pgcode=None)
            except psycopg2.Error as e:
                emit("error", sql=sql, pgcode=e.pgcode, cls=type(e).__name__, expected_class=isinstance(e, cls))


def implicit_transaction(conn):
    """Autocommit off: psycopg2 sends BEGIN before the first statement."""
    with conn.cursor() as cur:
        cur.execute("SELECT name FROM Users WHERE userId = %s", ("u002",))
        status = conn.info.transaction_status
        emit("implicitBegin", rows=cur.fetchall(), in_transaction=status == psycopg2.extensions.TRANSACTION_STATUS_INTRANS)
    conn.commit()
    emit("commitRead", idle=conn.info.transaction_status == psycopg2.extensions.TRANSACTION_STATUS_IDLE)


def transaction_writes(conn, scratch):
    with conn.cursor() as cur:
        cur.execute("INSERT INTO " + scratch + " (id, n) VALUES (%s, %s)", ("t1", 1))
        cur.execute("INSERT INTO " + scratch + " (id, n) VALUES (%s, %s)", ("t2", 2))
        emit("txWrite", in_transaction=conn.info.transaction_status == psycopg2.extensions.TRANSACTION_STATUS_INTRANS)
    conn.commit()
    with conn.cursor() as cur:
        cur.execute("INSERT INTO " + scratch + " (id, n) VALUES (%s, %s)", ("t3", 3))
    conn.rollback()
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT id, n FROM " + scratch + " WHERE id IN (%s, %s, %s) ORDER BY id", ("t1", "t2", "t3"))
        emit("txReadBack", rows=cur.fetchall())


if __name__ == "__main__":
    main()
