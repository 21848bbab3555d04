package dev.plumb.demo;

import dev.plumb.childjvm.ServerProcess;
import dev.plumb.examples.node.NodeCalculatorClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A client nobody here wrote in Java: the daemon, a JVM of its own, listens on
 * {@code grpc://127.0.0.1:0} (gRPC over HTTP/2, beside Plumb's addresses in a real deployment),
 * and the examples' Node.js client on {@code @grpc/grpc-js} ({@link NodeCalculatorClient})
 * calls its calculator: three unary calls, one of them an error status, and a server stream.
 * The client is installed with {@code npm ci} from its lock file into {@code target/node-client}
 * of this module, once. Without {@code node} on the PATH the row is skipped, saying so.
 */
final class NodeClientCheck {
  static final String TITLE = "Node.js client over grpc://";

  private final DemoSettings settings;
  private final PrintStream out;

  NodeClientCheck(DemoSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  RowResult run() throws InterruptedException {
    Optional<String> node = NodeCalculatorClient.nodeOnPath();
    if (node.isEmpty()) {
      return RowResult.skipped(TITLE, "no 'node' on the PATH (install Node.js and npm, e.g."
          + " Debian's nodejs and npm packages, to run this row)");
    }
    Checklist checklist = new Checklist();
    NodeCalculatorClient client;
    try {
      Path home = home();
      progress("installing @grpc/grpc-js and @grpc/proto-loader (npm ci) in " + home);
      client = NodeCalculatorClient.install(node.get(), home);
    } catch (IOException e) {
      checklist.fail(e.getMessage());
      return RowResult.of(TITLE, "the client could not be installed", checklist);
    }
    ServerProcess server;
    try {
      server = DaemonProcess.start("grpc://127.0.0.1:0", settings.serverStartTimeout());
    } catch (IOException e) {
      checklist.fail("the server did not start: " + e.getMessage());
      return RowResult.of(TITLE, "no server", checklist);
    }
    String details;
    try {
      progress("server pid " + server.pid() + " is ready at " + server.address());
      String target = server.address().substring("grpc://".length());
      progress("node calculator-client.js " + target);
      NodeCalculatorClient.Result result = client.call(target);
      result.output().lines().forEach(line -> progress("  " + line));
      check(result, checklist);
      details = "@grpc/grpc-js called the daemon at " + server.address()
          + " (add, multiply, a division by zero, a server stream)";
    } catch (IOException e) {
      checklist.fail("the client could not run: " + e.getMessage());
      details = "the client could not run";
    } finally {
      server.close();
      progress(server.isAlive() ? "server pid " + server.pid() + " is still running"
          : "server exited with code " + server.exitCode());
    }
    return RowResult.of(TITLE, details, checklist);
  }

  private static void check(NodeCalculatorClient.Result result, Checklist checklist) {
    if (result.exitCode() != 0) {
      checklist.fail("the client ended with " + result.describeExit() + ": " + result.output());
      return;
    }
    List<String> lines = result.output().lines().toList();
    List<String> expected = NodeCalculatorClient.EXPECTED;
    for (int i = 0; i < expected.size(); i++) {
      String got = i < lines.size() ? lines.get(i) : "nothing";
      if (got.equals(expected.get(i))) {
        checklist.pass();
      } else {
        checklist.fail("expected '" + expected.get(i) + "', the client printed '" + got + "'");
      }
    }
  }

  /** {@code target/node-client} of this module: beside its classes or its jar. */
  private static Path home() throws IOException {
    try {
      return Path.of(NodeClientCheck.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI()).toAbsolutePath().getParent().resolve("node-client");
    } catch (URISyntaxException e) {
      throw new IOException("cannot locate the demo's build directory: " + e.getMessage(), e);
    }
  }

  private void progress(String line) {
    out.println("node: " + line);
  }
}
