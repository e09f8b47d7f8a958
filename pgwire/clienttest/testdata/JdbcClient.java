import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.postgresql.PGStatement;

/**
 * Runs pgjdbc against a ddbsql server and prints one JSON object per line:
 * {"check": NAME, ...}. The Go test compares every line.
 *
 * Usage: java -cp postgresql.jar:. JdbcClient URL USER PASSWORD SCRATCH_TABLE
 */
public final class JdbcClient {
    private static String url, user, password, scratch;

    public static void main(String[] args) throws Exception {
        url = args[0];
        user = args[1];
        password = args[2];
        scratch = args[3];
        Connection c;
        try {
            c = connect();
        } catch (SQLException e) {
            failed("connect", e);
            System.exit(1);
            return;
        }
        try (c) {
            emit("connect", "autocommit", c.getAutoCommit());
            check("setString", () -> preparedString(c));
            check("setInt", () -> preparedInt(c));
            check("setBigDecimal", () -> preparedBigDecimal(c));
            check("metadata", () -> metadata(c));
            check("errors", () -> errors(c));
            check("writeAndReadBack", () -> writeAndReadBack(c));
            check("cancel", () -> cancel(c));
            check("fetchSize", () -> fetchSize(c));
        }
    }

    private interface Check {
        void run() throws SQLException;
    }

    /** Runs one check; an unexpected exception is printed and the next check runs. */
    private static void check(String name, Check body) {
        try {
            body.run();
        } catch (SQLException | RuntimeException e) {
            failed(name, e);
        }
    }

    private static void failed(String name, Exception e) {
        String state = e instanceof SQLException ? ((SQLException) e).getSQLState() : null;
        emit("exception", "in", name, "sqlstate", state, "message", String.valueOf(e.getMessage()));
    }

    private static Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("sslmode", "disable");
        return DriverManager.getConnection(url, p);
    }

    /** Ten executions cross prepareThreshold (5): named statements, binary results. */
    private static void preparedString(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT userId, name FROM Users WHERE userId = ?")) {
            for (int i = 1; i <= 10; i++) {
                ps.setString(1, String.format("u%03d", i));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        emit("setString", "i", i, "userId", rs.getString(1), "name", rs.getString(2));
                    }
                }
            }
            emit("setString.serverPrepared", "value", ps.unwrap(PGStatement.class).isUseServerPrepare());
        }
    }

    private static void preparedInt(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT deviceId, \"timestamp\", battery FROM IoTSensorData WHERE deviceId = ? AND \"timestamp\" = ?")) {
            for (int i = 1; i <= 10; i++) {
                ps.setString(1, "d01");
                ps.setInt(2, 1717200012);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        emit("setInt", "i", i, "deviceId", rs.getString(1), "timestamp", rs.getLong(2),
                                "battery", rs.getInt(3));
                    }
                }
            }
        }
    }

    private static void preparedBigDecimal(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT productId, price FROM Products WHERE productId = ? AND price = ?")) {
            for (int i = 1; i <= 10; i++) {
                ps.setString(1, "p001");
                ps.setBigDecimal(2, new BigDecimal("244.99"));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        emit("setBigDecimal", "i", i, "productId", rs.getString(1),
                                "price", rs.getBigDecimal(2).toPlainString());
                    }
                }
            }
        }
    }

    private static void metadata(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(
                     "SELECT productId, name, price, stock, featured, dimensions, thumbnail FROM Products WHERE productId = 'p001'")) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                // pgjdbc names types outside its built-in list (jsonb among
                // them) by querying pg_catalog.pg_type, which ddbsql does not
                // serve; the column's values are checked below instead.
                if (md.getColumnName(i).equals("dimensions")) {
                    continue;
                }
                emit("metadata", "column", md.getColumnName(i), "type", md.getColumnTypeName(i));
            }
            while (rs.next()) {
                emit("metadata.row", "productId", rs.getString(1), "name", rs.getString(2),
                        "price", rs.getBigDecimal(3).toPlainString(), "stock", rs.getInt(4),
                        "featured", rs.getBoolean(5), "dimensions", rs.getString(6),
                        "thumbnailBytes", rs.getBytes(7).length);
            }
        }
    }

    private static void errors(Connection c) throws SQLException {
        String[] bad = {
            "SELECT * FROM NoSuchTable WHERE id = 'x'",
            "SELECT * FORM Users",
            "INSERT INTO " + scratch + " (id, n) VALUES ('dup', 1)",
        };
        try (Statement st = c.createStatement()) {
            for (String sql : bad) {
                try {
                    st.execute(sql);
                    emit("error", "sql", sql, "sqlstate", null);
                } catch (SQLException e) {
                    emit("error", "sql", sql, "sqlstate", e.getSQLState());
                }
            }
            // The connection is still usable after errors.
            try (ResultSet rs = st.executeQuery("SELECT name FROM Users WHERE userId = 'u002'")) {
                rs.next();
                emit("afterErrors", "name", rs.getString(1));
            }
        }
    }

    private static void writeAndReadBack(Connection c) throws SQLException {
        try (PreparedStatement ins = c.prepareStatement(
                "INSERT INTO " + scratch + " (id, n, label) VALUES (?, ?, ?)")) {
            for (int i = 1; i <= 3; i++) {
                ins.setString(1, "w" + i);
                ins.setBigDecimal(2, new BigDecimal(i + ".5"));
                ins.setString(3, "row " + i);
                emit("insert", "id", "w" + i, "count", ins.executeUpdate());
            }
        }
        try (PreparedStatement up = c.prepareStatement(
                "UPDATE " + scratch + " SET label = ? WHERE id = ?")) {
            up.setString(1, "changed");
            up.setString(2, "w2");
            emit("update", "count", up.executeUpdate());
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM " + scratch + " WHERE id = ?")) {
            del.setString(1, "w3");
            emit("delete", "count", del.executeUpdate());
        }
        try (PreparedStatement sel = c.prepareStatement(
                "SELECT id, n, label FROM " + scratch + " WHERE id = ?")) {
            for (String id : new String[] {"w1", "w2", "w3"}) {
                sel.setString(1, id);
                try (ResultSet rs = sel.executeQuery()) {
                    if (!rs.next()) {
                        emit("readBack", "id", id, "found", false);
                        continue;
                    }
                    emit("readBack", "id", rs.getString(1), "found", true,
                            "n", rs.getBigDecimal(2).toPlainString(), "label", rs.getString(3));
                }
            }
        }
    }

    /** setQueryTimeout sends a CancelRequest on a second connection. */
    private static void cancel(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout(1);
            try (ResultSet rs = st.executeQuery("SELECT pg_sleep(60)")) {
                emit("cancel", "sqlstate", null);
            } catch (SQLException e) {
                emit("cancel", "sqlstate", e.getSQLState());
            }
            st.setQueryTimeout(0);
            try (ResultSet rs = st.executeQuery("SELECT name FROM Users WHERE userId = 'u001'")) {
                rs.next();
                emit("afterCancel", "name", rs.getString(1));
            }
        }
    }

    /** With autocommit off, setFetchSize makes pgjdbc read through a portal, two rows per Execute. */
    private static void fetchSize(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT orderId FROM Orders WHERE customerId = ? ORDER BY orderId")) {
            ps.setFetchSize(2);
            ps.setString(1, "u001");
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            emit("fetchSize", "rows", ids.size(), "first", ids.get(0), "last", ids.get(ids.size() - 1));
        }
        c.commit();
        c.setAutoCommit(true);
    }

    private static void emit(String check, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("check", check);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        StringBuilder b = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append(quote(e.getKey())).append(':');
            Object v = e.getValue();
            if (v == null) {
                b.append("null");
            } else if (v instanceof Number || v instanceof Boolean) {
                b.append(v);
            } else {
                b.append(quote(v.toString()));
            }
        }
        System.out.println(b.append('}'));
        System.out.flush();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
            }
        }
        return b.append('"').toString();
    }
}
