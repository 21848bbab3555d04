package dev.plumb.benchmarks.driver;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * A raw mechanism with no RPC: a byte stream to an echo server in another JVM
 * ({@link dev.plumb.benchmarks.server.RawEchoMain}).
 *
 * @param name the row's name, e.g. {@code raw TCP}
 * @param medium the medium whose RPC configurations this one is the limit for
 * @param pollsWhenIdle whether its ends use CPU while waiting (a shared-memory flag), so the
 *     idle window is measured too; ends that block in reads cost nothing idle by construction,
 *     and measuring that would only lengthen the run
 */
public record RawConfiguration(String name, Medium medium, boolean pollsWhenIdle,
    Opener opener) {

  /** A mechanism whose ends block in reads when idle. */
  public RawConfiguration(String name, Medium medium, Opener opener) {
    this(name, medium, false, opener);
  }

  @FunctionalInterface
  public interface Opener {
    Link open(Path scratch, String tag) throws Exception;
  }

  /** Both directions of the stream to the echo server; closing it stops the server. */
  public interface Link extends AutoCloseable {
    InputStream in();

    /** Writes go out at once: {@code flush} after each message. */
    OutputStream out();

    long serverPid();

    /** The server process's CPU time so far, in nanoseconds. */
    long serverCpuNanos();

    /** The server process's voluntary context switches so far, or -1 if unknown. */
    long serverContextSwitches();

    @Override
    void close();
  }
}
