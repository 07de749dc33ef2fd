// The Arrow Flight SQL JDBC driver against Polaroid's Flight SQL endpoint (run by
// tests/flight_test.ts as `java -cp <driver jar> FlightJdbc.java <host> <port>`, the tenants'
// API keys in the environment). Prints one line per check; any failure throws and exits 1.
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

public class FlightJdbc {
  static String url(String host, String port, String extra) {
    return "jdbc:arrow-flight-sql://" + host + ":" + port + "/?useEncryption=false" + extra;
  }

  static void check(boolean ok, String what) {
    if (!ok) throw new AssertionError(what);
  }

  public static void main(String[] args) throws Exception {
    String host = args[0];
    String port = args[1];
    String acme = System.getenv("POLAROID_ACME_KEY");
    String reader = System.getenv("POLAROID_ACME_READER_KEY");
    String globex = System.getenv("POLAROID_GLOBEX_KEY");
    try (Connection c = DriverManager.getConnection(url(host, port, "&token=" + acme))) {
      DatabaseMetaData md = c.getMetaData();
      System.out.println("product " + md.getDatabaseProductName());
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = md.getTables(null, null, "jdbc%", null)) {
        while (rs.next()) tables.add(rs.getString("TABLE_NAME"));
      }
      System.out.println("tables " + String.join(",", tables));
      List<String> columns = new ArrayList<>();
      try (ResultSet rs = md.getColumns(null, null, "jdbc_trades", "%")) {
        while (rs.next()) columns.add(rs.getString("COLUMN_NAME") + ":" + rs.getString("TYPE_NAME"));
      }
      System.out.println("columns " + String.join(",", columns));
      StringBuilder rows = new StringBuilder();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(
              "select k, sum(px) as px from jdbc_trades group by k order by k")) {
        while (rs.next()) rows.append(' ').append(rs.getLong(1)).append(':').append(rs.getDouble(2));
      }
      System.out.println("query" + rows);
      List<String> syms = new ArrayList<>();
      try (PreparedStatement p =
              c.prepareStatement("select sym from jdbc_trades where k = 1 order by sym");
          ResultSet rs = p.executeQuery()) {
        while (rs.next()) syms.add(rs.getString(1));
      }
      System.out.println("prepared " + String.join(",", syms));
    }
    // Basic authentication: the handshake turns the password (the API key) into the bearer.
    Properties basic = new Properties();
    basic.setProperty("user", "anyone");
    basic.setProperty("password", acme);
    try (Connection c = DriverManager.getConnection(url(host, port, ""), basic);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) as n from jdbc_trades")) {
      check(rs.next(), "a count row");
      System.out.println("basic auth " + rs.getLong(1) + " rows");
    }
    try (Connection c = DriverManager.getConnection(url(host, port, "&token=" + reader));
        Statement s = c.createStatement()) {
      try {
        s.executeUpdate("create table t as select 1");
        throw new AssertionError("an update ran");
      } catch (SQLException expected) {
        System.out.println("update refused");
      }
    }
    try (Connection c = DriverManager.getConnection(url(host, port, ""));
        Statement s = c.createStatement()) {
      s.executeQuery("select 1");
      throw new AssertionError("a call without a key ran");
    } catch (SQLException expected) {
      System.out.println("no key refused");
    }
    try (Connection c = DriverManager.getConnection(url(host, port, "&token=" + globex));
        Statement s = c.createStatement()) {
      s.executeQuery("select * from jdbc_trades");
      throw new AssertionError("another tenant read acme's table");
    } catch (SQLException expected) {
      System.out.println("other tenant refused");
    }
    System.out.println("ok");
  }
}
