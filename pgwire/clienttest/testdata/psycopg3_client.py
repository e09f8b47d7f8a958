"""Runs psycopg 3 against a ddbsql server; prints one JSON object per line.

psycopg 3 sends parameters with the extended protocol (server-side
binding), prepares a statement after five executions of the same query,
and cancels with a CancelRequest on a second connection.

Usage: python3 psycopg3_client.py CONNINFO SCRATCH_TABLE TRANSACTIONS(0|1)
"""

import base64
import decimal
import json
import sys
import threading
import time

import psycopg
import psycopg.errors
import psycopg.pq


def emit(check, **fields):
    print(json.dumps({"check": check, **fields}, default=plain), flush=True)


def plain(v):
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
        emit("exception", section=name, sqlstate=getattr(e, "sqlstate", None), message=str(e).strip())
        if not conn.closed:
            conn.rollback()


def main():
    conninfo, scratch, transactions = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
    conn = psycopg.connect(conninfo, autocommit=True)
    emit("connect", status=conn.info.transaction_status.name)
    section(conn, "autocommit", lambda: autocommit_checks(conn, scratch))
    section(conn, "cancel", lambda: cancel(conn))
    section(conn, "copy", lambda: copy_in(conn, scratch))
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
            "SELECT productId, name, price, stock, featured, dimensions, thumbnail FROM Products WHERE productId = %s",
            ("p001",),
        )
        emit("types", values=[typed(v) for v in cur.fetchone()])

        cur.execute("SELECT COUNT(*) FROM Orders WHERE customerId = %s", ("u001",))
        emit("count", value=typed(cur.fetchone()[0]))

        # A small int goes out as binary int2, a Decimal as numeric.
        cur.execute(
            "SELECT gameId, playerId, score FROM GameLeaderboards WHERE gameId = %s AND score > %s ORDER BY score DESC LIMIT %s",
            ("g1", 90000, 3),
        )
        emit("binaryParams", rows=[[typed(v) for v in r] for r in cur.fetchall()])

        # The sixth execution of the same query runs as a prepared statement.
        for i in range(1, 8):
            cur.execute("SELECT name FROM Users WHERE userId = %s", ("u%03d" % i,))
            emit("prepared", i=i, name=cur.fetchone()[0])
        # psycopg has no public view of its statement cache; this private
        # one names the statements it prepared on the server.
        emit("preparedCache", names=[n.decode() for n in conn._prepared._names.values()])

        cur.execute("INSERT INTO " + scratch + " (id, n, label, flag) VALUES (%s, %s, %s, %s)",
                    ("a", decimal.Decimal("1.25"), "x", True))
        emit("insert", rowcount=cur.rowcount, status=cur.statusmessage)
        cur.execute("UPDATE " + scratch + " SET label = %s WHERE id = %s", ("updated", "a"))
        emit("update", rowcount=cur.rowcount)
        cur.execute("SELECT id, n, label, flag FROM " + scratch + " WHERE id = %s", ("a",))
        emit("readBack", row=[typed(v) for v in cur.fetchone()])
        cur.execute("DELETE FROM " + scratch + " WHERE id = %s", ("a",))
        emit("delete", rowcount=cur.rowcount)

        for sql, params, cls in [
            ("SELECT * FROM NoSuchTable WHERE id = %s", ("x",), psycopg.errors.UndefinedTable),
            ("SELECT * FORM Users WHERE userId = %s", ("u001",), psycopg.errors.SyntaxError),
            ("INSERT INTO " + scratch + " (id) VALUES (%s)", ("dup",), psycopg.errors.UniqueViolation),
        ]:
            try:
                cur.execute(sql, params)
                emit("error", sql=sql, sqlstate=None)
            except psycopg.Error as e:
                emit("error", sql=sql, sqlstate=e.sqlstate, cls=type(e).__name__, expected_class=isinstance(e, cls))



def cancel(conn):
    """A statement cancelled from another thread fails with QueryCanceled."""
    with conn.cursor() as cur:

        def cancel_later():
            time.sleep(0.5)
            conn.cancel()

        t = threading.Thread(target=cancel_later)
        t.start()
        try:
            cur.execute("SELECT pg_sleep(60)")
            emit("cancel", sqlstate=None)
        except psycopg.errors.QueryCanceled as e:
            emit("cancel", sqlstate=e.sqlstate)
        finally:
            t.join()
        cur.execute("SELECT name FROM Users WHERE userId = %s", ("u003",))
        emit("afterCancel", name=cur.fetchone()[0])



def copy_in(conn, scratch):
    """cursor.copy(): COPY ... FROM STDIN in the text format (rows psycopg
    escapes) and in csv; an exception in the block sends CopyFail."""
    with conn.cursor() as cur:
        with cur.copy("COPY " + scratch + " (id, n, label) FROM STDIN") as copy:
            copy.write_row(("c1", 1, "tab\tone\nline"))
            copy.write_row(("c2", None, "two"))
        emit("copyIn", rowcount=cur.rowcount, status=cur.statusmessage)
        with cur.copy("COPY " + scratch + " FROM STDIN (FORMAT csv, HEADER true)") as copy:
            copy.write("id,n,label\nc3,3,\"three, quoted\"\n")
        cur.execute("SELECT id, n, label FROM " + scratch + " WHERE id IN (%s, %s, %s) ORDER BY id", ("c1", "c2", "c3"))
        emit("copyReadBack", rows=[[i, None if n is None else str(n), label] for i, n, label in cur.fetchall()])
        try:
            with cur.copy("COPY " + scratch + " (id) FROM STDIN") as copy:
                copy.write_row(("c4",))
                raise RuntimeError("the client gave up")
        except psycopg.Error as e:
            # psycopg sends CopyFail with the block's error and raises the
            # server's answer.
            emit("copyFail", cls=type(e).__name__, sqlstate=e.sqlstate, status=conn.info.transaction_status.name)
        cur.execute("SELECT COUNT(*) FROM " + scratch + " WHERE id IN (%s, %s, %s)", ("c1", "c2", "c3"))
        emit("afterCopyFail", value=cur.fetchone()[0])


def implicit_transaction(conn):
    """Outside autocommit psycopg 3 sends BEGIN (extended protocol) first."""
    with conn.cursor() as cur:
        cur.execute("SELECT name FROM Users WHERE userId = %s", ("u002",))
        emit("implicitBegin", rows=cur.fetchall(), status=conn.info.transaction_status.name)
    conn.commit()
    emit("commitRead", status=conn.info.transaction_status.name)


def transaction_writes(conn, scratch):
    with conn.cursor() as cur:
        cur.execute("INSERT INTO " + scratch + " (id, n) VALUES (%s, %s)", ("t1", 1))
        cur.execute("INSERT INTO " + scratch + " (id, n) VALUES (%s, %s)", ("t2", 2))
        emit("txWrite", status=conn.info.transaction_status.name)
    conn.commit()
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT id, n FROM " + scratch + " WHERE id IN (%s, %s) ORDER BY id", ("t1", "t2"))
        emit("txReadBack", rows=cur.fetchall())


if __name__ == "__main__":
    main()
