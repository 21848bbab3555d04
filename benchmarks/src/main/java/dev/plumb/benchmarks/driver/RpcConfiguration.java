package dev.plumb.benchmarks.driver;

import io.grpc.ManagedChannel;
import java.nio.file.Path;

/**
 * One way of serving the benchmark service: where its server runs and how a channel reaches it.
 * {@link Configurations} lists them.
 *
 * @param name the row's name in the results, e.g. {@code plumb tcp:}
 * @param medium what carries the bytes; picks the raw mechanism it is compared with
 * @param opener starts a server (usually a JVM of its own) and opens a channel to it
 */
public record RpcConfiguration(String name, Medium medium, Opener opener) {

  /** Starts a fresh server and channel; one per repetition. */
  @FunctionalInterface
  public interface Opener {
    /**
     * @param scratch a directory private to this run, for socket files
     * @param tag unique per call, to name files
     */
    Endpoint open(Path scratch, String tag) throws Exception;
  }

  /** A channel to a running server; closing it closes both. */
  public interface Endpoint extends AutoCloseable {
    ManagedChannel channel();

    /** Whether the server shares this JVM, so its costs cannot be told from the client's. */
    boolean serverInThisJvm();

    @Override
    void close();
  }
}
