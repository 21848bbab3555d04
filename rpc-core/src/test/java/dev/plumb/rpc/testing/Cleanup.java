package dev.plumb.rpc.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.plumb.rpc.internal.OpenConnections;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * Closes what a test opened (channels, servers, server processes), newest first, then fails
 * the test if a Plumb connection of this JVM is still open (every close path must end in a
 * reported link death) or if a non-daemon thread that the test started is still alive (it
 * would keep an application's JVM from exiting).
 */
public final class Cleanup {
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final int connectionsBefore = OpenConnections.count();
  private final Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();

  public ManagedChannel add(ManagedChannel channel) {
    resources.push(() -> {
      channel.shutdownNow();
      if (!channel.awaitTermination(10, TimeUnit.SECONDS)) {
        fail("channel did not terminate within 10 s: " + channel);
      }
    });
    return channel;
  }

  public Server add(Server server) {
    resources.push(() -> {
      server.shutdownNow();
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        fail("server did not terminate within 10 s: " + server);
      }
    });
    return server;
  }

  public ServerProcess add(ServerProcess process) {
    resources.push(process);
    return process;
  }

  /** Closes everything and checks for leaked connections. */
  public void close() throws Exception {
    Exception first = null;
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
    // Terminated channels and servers have seen every link die, so nothing may be open now.
    int leaked = OpenConnections.count() - connectionsBefore;
    if (leaked > 0) {
      fail(leaked + " Plumb connection(s) still open after every channel and server was closed");
    }
    List<String> lingering = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      // JUnit starts its own timeout watcher lazily; it is not the test's doing.
      if (!thread.isDaemon() && thread.isAlive() && !threadsBefore.contains(thread)
          && !thread.getName().startsWith("junit-")) {
        thread.join(TimeUnit.SECONDS.toMillis(5));
        if (thread.isAlive()) {
          lingering.add(thread.getName());
        }
      }
    }
    if (!lingering.isEmpty()) {
      fail("non-daemon threads left running: " + lingering);
    }
  }
}
