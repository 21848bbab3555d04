package dev.plumb.rpc.kit;

import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.PlumbTransport;
import io.grpc.Status;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Turns a transport's blocking connect into the future that {@link PlumbTransport#connect}
 * returns, with that method's cancel: an attempt whose future is already done (cancelled) when a
 * thread gets to it does not begin, and a connection that arrives after its future was cancelled
 * is closed unstarted, which frees its link at once ({@link StartGate}).
 *
 * <p>Each attempt runs on a daemon thread of its own ({@code plumb-SCHEME-connect-N}, kept
 * 10 s for the next one): a connect may block (a server's full backlog, a handshake), and no
 * attempt waits for another. One instance per transport, shared by its connects; thread-safe.
 */
public final class BlockingConnector {
  /** One blocking connect. */
  @FunctionalInterface
  public interface Attempt {
    /**
     * Connects, blocking, and returns the connection, not started.
     *
     * @throws IOException saying what could not be reached and why; the future fails with it
     */
    Connection connect() throws IOException;
  }

  private final ExecutorService threads;

  /** @param scheme names the threads, e.g. {@code unix} */
  public BlockingConnector(String scheme) {
    threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS,
        new SynchronousQueue<>(), DaemonThreads.numbered("plumb-" + scheme + "-connect-"));
  }

  /**
   * Starts {@code attempt} on a connect thread.
   *
   * @param target what is connected to, e.g. {@code shm:/run/app.sock}: the future fails with
   *     an {@link IOException} naming it if the attempt throws an unchecked exception (a bug)
   */
  public CompletableFuture<Connection> connect(String target, Attempt attempt) {
    CompletableFuture<Connection> result = new CompletableFuture<>();
    threads.execute(() -> {
      if (result.isDone()) {
        return;  // Cancelled before the attempt began.
      }
      try {
        Connection connection = attempt.connect();
        if (!result.complete(connection)) {
          // Cancelled meanwhile: nobody will start it, so closing it frees its link now.
          connection.close(Status.CANCELLED.withDescription("connect to " + target
              + " abandoned"));
        }
      } catch (IOException e) {
        result.completeExceptionally(e);
      } catch (RuntimeException e) {
        result.completeExceptionally(new IOException("connect to " + target + " failed: " + e,
            e));
      }
    });
    return result;
  }
}
