package dev.plumb.benchmarks.driver;

import io.grpc.ManagedChannelBuilder;
import io.grpc.ServerBuilder;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where gRPC runs the application's callbacks, on both sides of every RPC row alike: the
 * comparison is only fair when client and server of every configuration make the same choice.
 *
 * <ul>
 *   <li>{@link #DIRECT}: {@code directExecutor()} on the server builder and the channel builder;
 *       callbacks run on the transport's own thread (what latency-minded users run);
 *   <li>{@link #DEFAULT}: gRPC's defaults, a cached thread pool per side that every callback
 *       goes through.
 * </ul>
 *
 * A blocking stub's own callbacks always run on the calling thread (gRPC gives it a
 * thread-less executor), whatever the channel's executor.
 */
public enum ExecutorMode {
  DIRECT("direct"),
  DEFAULT("default");

  private final String label;

  ExecutorMode(String label) {
    this.label = label;
  }

  /** As it appears in row names and on the command line. */
  public String label() {
    return label;
  }

  public <T extends ServerBuilder<T>> T apply(T server) {
    return this == DIRECT ? server.directExecutor() : server;
  }

  public <T extends ManagedChannelBuilder<T>> T apply(T channel) {
    return this == DIRECT ? channel.directExecutor() : channel;
  }

  public static ExecutorMode parse(String label) {
    for (ExecutorMode mode : values()) {
      if (mode.label.equals(label.toLowerCase(Locale.ROOT))) {
        return mode;
      }
    }
    throw new IllegalArgumentException("unknown executor mode '" + label + "', expected one of "
        + Arrays.stream(values()).map(ExecutorMode::label).toList());
  }
}
