package dev.plumb.rpc.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.proto.testing.ServerInfoRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link BadInputTarget} that listens: one {@link ServerProcess} serves every raw stream and
 * channel of a test class. Recovery means its threads, descriptors (and the transport's own
 * gauges) and its heap after a full collection are back near what they were once the server
 * had warmed up; each case is compared with that first baseline, so a leak that grows case by
 * case adds up until it shows.
 */
public final class ListeningServerTarget implements BadInputTarget {
  /**
   * Heap a case may leave behind, after a full collection, over the baseline: far less than
   * the windows a leaked connection could pin (8 MiB each by default), far more than the
   * collector's own noise (pooled buffers, class loading, JIT).
   */
  static final long HEAP_SLACK_BYTES = 32L << 20;
  private static final long RECOVERY_MILLIS = 10_000;

  /** Opens a raw stream to the server at {@code address}. */
  @FunctionalInterface
  public interface RawConnector {
    RawStream open(String address) throws IOException;
  }

  private final ServerProcess server;
  private final RawConnector connector;
  private final boolean hasPreface;
  private final ProcessResources resources;
  /** The channel that measures the heap; open throughout, so it is in the baseline too. */
  private final ManagedChannel admin;
  private Map<String, Long> baseline;
  private long heapBaseline;

  private ListeningServerTarget(ServerProcess server, RawConnector connector,
      boolean hasPreface, ProcessResources resources) {
    this.server = server;
    this.connector = connector;
    this.hasPreface = hasPreface;
    this.resources = resources;
    this.admin = PlumbChannelBuilder.forTarget(server.address()).build();
  }

  /**
   * Starts a server at {@code listenAddress} with {@code serverOptions}
   * ({@link ConformanceServerMain}), warms it up and takes the baseline.
   *
   * @param hasPreface see {@link BadInputTarget#hasPreface}
   * @param resources what to compare with the baseline after each case
   */
  public static ListeningServerTarget start(String listenAddress, RawConnector connector,
      boolean hasPreface, ProcessResources resources, List<String> serverOptions)
      throws IOException {
    ServerProcess server = ServerProcess.start(listenAddress, serverOptions.toArray(String[]::new));
    ListeningServerTarget target =
        new ListeningServerTarget(server, connector, hasPreface, resources);
    try {
      target.takeBaseline();
    } catch (RuntimeException e) {
      target.close();
      throw e;
    }
    return target;
  }

  private void takeBaseline() {
    // A good connection's calls of every kind first: classes loaded, pools and executors made.
    ConformanceGrpc.ConformanceBlockingStub stub = stub();
    stub.unary(EchoRequest.newBuilder().setPayload(ByteString.copyFromUtf8("warm")).build());
    stub.serverStream(EchoRequest.newBuilder().setResponseCount(100).setResponseSize(1024)
        .build()).forEachRemaining(response -> { });
    baseline = resources.read(server.pid());
    heapBaseline = heapAfterCollection();
  }

  private ConformanceGrpc.ConformanceBlockingStub stub() {
    return ConformanceGrpc.newBlockingStub(admin).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private long heapAfterCollection() {
    return stub().serverInfo(ServerInfoRequest.newBuilder().setCollectGarbage(true).build())
        .getHeapUsedBytes();
  }

  @Override
  public RawStream openRaw() throws IOException {
    return connector.open(server.address());
  }

  @Override
  public String channelTarget() {
    return server.address();
  }

  @Override
  public boolean hasPreface() {
    return hasPreface;
  }

  @Override
  public boolean sharesServerWithChannels() {
    return true;
  }

  /** The process id of the server. */
  public long pid() {
    return server.pid();
  }

  @Override
  public void assertRecovered() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECOVERY_MILLIS);
    List<String> excess;
    long heap;
    do {
      // The connections the case opened end on their own threads, some after a grace period:
      // poll until they have, within the bound.
      excess = resources.excess(baseline, resources.read(server.pid()));
      heap = excess.isEmpty() ? heapAfterCollection() : Long.MAX_VALUE;
      if (excess.isEmpty() && heap <= heapBaseline + HEAP_SLACK_BYTES) {
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    } while (System.nanoTime() < deadline);
    if (!excess.isEmpty()) {
      fail("the server still holds " + String.join(", ", excess) + " " + RECOVERY_MILLIS
          + " ms after the case; its threads: " + ProcessResources.threadNames(server.pid()));
    }
    fail("the server's heap after a full collection is " + (heap >> 10) + " KiB, more than the"
        + " baseline of " + (heapBaseline >> 10) + " KiB plus " + (HEAP_SLACK_BYTES >> 10)
        + " KiB, " + RECOVERY_MILLIS + " ms after the case");
  }

  @Override
  public void close() {
    admin.shutdownNow();
    try {
      admin.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close();
  }
}
