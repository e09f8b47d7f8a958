// Runs node-postgres (pg) against a ddbsql server; prints one JSON object
// per line. A query without parameters goes out as a simple Query; with
// parameters as Parse (unnamed, no parameter types) + Bind (text) +
// Describe portal + Execute + Sync in one batch, so the server must infer
// the parameter types; a query with a name is parsed once per connection.
//
// Usage: node node_client.js CONNECTION_STRING

'use strict';

const { Client } = require('pg');

function emit(check, fields) {
  process.stdout.write(JSON.stringify({ check, ...fields }) + '\n');
}

// typed describes a value as node-postgres returns it.
function typed(v) {
  if (Buffer.isBuffer(v)) return { type: 'Buffer', value: v.toString('base64') };
  if (v === null) return { type: 'null', value: null };
  if (Array.isArray(v)) return { type: 'array', value: v };
  return { type: typeof v, value: v };
}

// section runs one group of checks; an unexpected error is printed and the
// next group runs.
async function section(name, fn) {
  try {
    await fn();
  } catch (e) {
    emit('exception', { section: name, code: e.code === undefined ? null : e.code, message: String(e.message) });
  }
}

async function main() {
  const client = new Client({ connectionString: process.argv[2] });
  await client.connect();
  emit('connect', {});
  await section('queries', () => queries(client));
  await section('errors', () => errors(client));
  await client.end();
}

async function queries(client) {
  let r = await client.query("SELECT userId, name FROM Users WHERE userId = 'u001'");
  emit('simple', { rows: r.rows, command: r.command, rowCount: r.rowCount });

  r = await client.query('SELECT userId, name, email FROM Users WHERE userId = $1', ['u002']);
  emit('params', { rows: r.rows, fields: r.fields.map((f) => f.name) });

  r = await client.query(
    'SELECT productId, name, price, stock, featured, dimensions, thumbnail FROM Products WHERE productId = $1',
    ['p001'],
  );
  emit('types', {
    values: Object.values(r.rows[0]).map(typed),
    oids: r.fields.map((f) => f.dataTypeID),
  });

  const named = { name: 'order-by-customer', text: 'SELECT orderId, totalAmount FROM Orders WHERE customerId = $1 AND orderId = $2' };
  for (const [customer, order] of [['u001', 'o0002'], ['u001', 'o0004'], ['u004', 'o0001']]) {
    r = await client.query({ ...named, values: [customer, order] });
    emit('named', { rows: r.rows });
  }

  r = await client.query('SELECT COUNT(*) AS n FROM Orders WHERE customerId = $1', ['u001']);
  emit('count', { value: typed(r.rows[0].n) });
}

async function errors(client) {
  for (const [sql, values] of [
    ['SELECT * FROM NoSuchTable', []],
    ['SELECT * FORM Users WHERE userId = $1', ['u001']],
  ]) {
    try {
      await client.query(sql, values);
      emit('error', { sql, code: null });
    } catch (e) {
      const fields = { sql, code: e.code };
      // The position of a syntax error (P field, 1-based) as pg reports it.
      if (e.code === '42601') fields.position = e.position === undefined ? null : e.position;
      emit('error', fields);
    }
  }
  const r = await client.query('SELECT name FROM Users WHERE userId = $1', ['u003']);
  emit('afterErrors', { rows: r.rows });
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
  process.exit(1);
});
