// Starts AWS's DynamoDB Local bound to 127.0.0.1 only. DynamoDB Local has no host option: its server builds a Jetty
// connector for every interface. This launcher builds the same server from the same command-line arguments, sets that
// connector's host to the loopback address before it opens, and starts it. It uses reflection only, so it compiles
// against the JDK alone: `java dynamodb-loopback.java --compile-to <dir> <this file>` compiles it once (single-file
// source mode carries javac, in a JRE too), then `java -cp DynamoDBLocal.jar:<dir> DynamoDbLoopback -port N ...`
// runs it. Why and how it is checked: docs/decisions.md ("DynamoDB Local on loopback only").
import java.lang.reflect.Field;
import java.lang.reflect.Method;

// Not public: javac then accepts a file name that is not the class name.
class DynamoDbLoopback {
  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("--compile-to")) {
      javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
      System.exit(javac.run(null, null, null, "-d", args[1], args[2]));
    }
    Class<?> runner = Class.forName("software.amazon.dynamodb.services.local.main.ServerRunner");
    Object proxy = runner.getMethod("createServerFromCommandLineArgs", String[].class).invoke(null, (Object) args);
    Field serverField = proxy.getClass().getDeclaredField("server");
    serverField.setAccessible(true);
    Object server = serverField.get(proxy);
    Object[] connectors = (Object[]) server.getClass().getMethod("getConnectors").invoke(server);
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local has no connector to bind");
    for (Object connector : connectors) {
      Method setHost = connector.getClass().getMethod("setHost", String.class);
      setHost.invoke(connector, "127.0.0.1");
    }
    proxy.getClass().getMethod("start").invoke(proxy);
  }
}
