package dev.plumb.transport.tcp;

import dev.plumb.rpc.testing.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Conformance servers in JVMs of their own, one per listen address, started side by side (a JVM
 * takes a second or two to start on a busy machine). Each answers {@code ServerInfo} with its
 * pid, which tells a client which one served a call.
 */
final class ReplicaServers implements AutoCloseable {
  private final List<ServerProcess> servers = new ArrayList<>();

  /** Starts a server at each address and waits until all of them serve. */
  static ReplicaServers start(String... listenAddresses) throws Exception {
    List<List<String>> commandLines = new ArrayList<>();
    for (String address : listenAddresses) {
      commandLines.add(List.of(address));
    }
    return start(commandLines);
  }

  /**
   * Starts a server for each command line (a listen address, then options of
   * {@link dev.plumb.rpc.testing.ConformanceServerMain}) and waits until all of them serve.
   */
  static ReplicaServers start(List<List<String>> commandLines) throws Exception {
    ReplicaServers replicas = new ReplicaServers();
    ExecutorService starters = Executors.newFixedThreadPool(commandLines.size());
    try {
      List<CompletableFuture<ServerProcess>> started = new ArrayList<>();
      for (List<String> commandLine : commandLines) {
        started.add(CompletableFuture.supplyAsync(() -> {
          try {
            return ServerProcess.start(commandLine.get(0),
                commandLine.subList(1, commandLine.size()).toArray(String[]::new));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }, starters));
      }
      Exception failure = null;
      for (CompletableFuture<ServerProcess> server : started) {
        try {
          replicas.servers.add(server.get());
        } catch (ExecutionException e) {
          failure = failure == null ? e : failure;
        }
      }
      if (failure != null) {
        replicas.close();
        throw failure;
      }
      return replicas;
    } finally {
      starters.shutdown();
    }
  }

  ServerProcess get(int index) {
    return servers.get(index);
  }

  long pid(int index) {
    return servers.get(index).pid();
  }

  /** {@code HOST:PORT} of the server at {@code index}, e.g. {@code 127.0.0.2:41234}. */
  String hostPort(int index) {
    return URI.create(servers.get(index).address()).getRawAuthority();
  }

  /** The port the server at {@code index} listens on. */
  int port(int index) {
    return URI.create(servers.get(index).address()).getPort();
  }

  @Override
  public void close() {
    for (ServerProcess server : servers) {
      server.close();
    }
  }
}
