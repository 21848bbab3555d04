package dev.plumb.benchmarks.driver;

import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * One way of serving the benchmark service, in one {@link ExecutorMode}: where its server runs
 * and how a channel reaches it. {@link Configurations} lists them.
 *
 * @param configuration what is measured, e.g. {@code plumb tcp:}; the same in both modes
 * @param medium what carries the bytes; picks the raw mechanism it is compared with
 * @param mode the executors of both sides
 * @param opener starts a server (usually a JVM of its own) and opens a channel to it, both
 *     with the executors of {@code mode}
 * @param downloads the ways the transfer row measures on it ({@link DownloadBenchmark}), in
 *     this order; none for most
 */
public record RpcConfiguration(String configuration, Medium medium, ExecutorMode mode,
    Opener opener, List<DownloadWay> downloads) {

  public RpcConfiguration {
    downloads = List.copyOf(downloads);
  }

  /** A configuration the transfer row does not measure. */
  public RpcConfiguration(String configuration, Medium medium, ExecutorMode mode,
      Opener opener) {
    this(configuration, medium, mode, opener, List.of());
  }

  /** This configuration, with the transfer row measuring {@code ways} on it. */
  public RpcConfiguration withDownloads(DownloadWay... ways) {
    return new RpcConfiguration(configuration, medium, mode, opener, List.of(ways));
  }

  /** The row's name in the results, e.g. {@code plumb tcp: direct}. */
  public String name() {
    return configuration + " " + mode.label();
  }

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
