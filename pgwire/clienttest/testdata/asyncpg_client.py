"""Runs asyncpg against a ddbsql server; prints one JSON object per line.

asyncpg prepares every query (Parse without parameter types, Describe S)
and encodes parameters in binary by the types the server infers, so the
ParameterDescription must name types it can encode.

Usage: python3 asyncpg_client.py DSN
"""

import asyncio
import base64
import decimal
import json
import sys

import asyncpg


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


async def section(name, coro):
    """Runs one group of checks; an unexpected error is printed and the
    next group runs."""
    try:
        await coro
    except Exception as e:  # noqa: BLE001 - every failure is reported
        emit("exception", section=name, sqlstate=getattr(e, "sqlstate", None), message=str(e).strip())


async def main():
    conn = await asyncpg.connect(sys.argv[1])
    emit("connect", closed=conn.is_closed())
    await section("queries", queries(conn))
    await section("errors", errors(conn))
    await conn.close()


async def queries(conn):
    rows = await conn.fetch("SELECT userId, name, email FROM Users WHERE userId = $1", "u001")
    emit("fetch", rows=[list(r.values()) for r in rows], columns=list(rows[0].keys()))

    row = await conn.fetchrow(
        "SELECT productId, name, price, stock, featured, dimensions, thumbnail FROM Products WHERE productId = $1",
        "p001",
    )
    emit("types", values=[typed(v) for v in row.values()])

    stmt = await conn.prepare("SELECT score FROM GameLeaderboards WHERE gameId = $1 AND playerId = $2")
    emit("paramTypes", types=[t.name for t in stmt.get_parameters()],
         columns=[[a.name, a.type.name] for a in stmt.get_attributes()])
    emit("prepared", value=typed(await stmt.fetchval("g1", "u003")))

    n = await conn.fetchval("SELECT COUNT(*) FROM Orders WHERE customerId = $1", "u001")
    emit("count", value=typed(n))

    price = await conn.fetchval(
        "SELECT price FROM Products WHERE productId = $1 AND price > $2", "p001", decimal.Decimal("200"))
    emit("numericParam", value=typed(price))


async def errors(conn):
    for sql, args in [
        ("SELECT * FROM NoSuchTable WHERE id = $1", ("x",)),
        ("SELECT * FORM Users", ()),
    ]:
        try:
            await conn.fetch(sql, *args)
            emit("error", sql=sql, sqlstate=None)
        except asyncpg.PostgresError as e:
            emit("error", sql=sql, sqlstate=e.sqlstate, cls=type(e).__name__)

    emit("afterErrors", value=await conn.fetchval("SELECT name FROM Users WHERE userId = $1", "u002"))


if __name__ == "__main__":
    asyncio.run(main())
