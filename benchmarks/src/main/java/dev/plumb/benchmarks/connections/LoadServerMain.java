package dev.plumb.benchmarks.connections;

import dev.plumb.benchmarks.server.EchoService;
import dev.plumb.rpc.PlumbServerBuilder;
import io.grpc.Server;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The load test's server: {@code LoadServerMain URI [MAX_CONNECTIONS]}, the echo service on a
 * Plumb server with the builder's defaults (and {@code maxConnections} if given). Prints
 * {@code READY <address>}, then answers each line {@code measure} on its stdin with a
 * {@link ProcessFigures} line; exits when its stdin ends.
 */
public final class LoadServerMain {
  static final String MEASURE = "measure";

  private LoadServerMain() {}

  public static void main(String[] args) throws IOException {
    PlumbServerBuilder builder = PlumbServerBuilder.forAddress(args[0])
        .addService(new EchoService());
    if (args.length > 1) {
      builder.maxConnections(Integer.parseInt(args[1]));
    }
    Server server = builder.build().start();
    System.out.println("READY " + server.getListenSockets().get(0));
    System.out.flush();
    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String command;
    while ((command = commands.readLine()) != null) {
      if (command.equals(MEASURE)) {
        System.out.println(ProcessFigures.ofThisProcess().toLine());
        System.out.flush();
      }
    }
    server.shutdownNow();
    System.exit(0);
  }
}
