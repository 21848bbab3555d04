package dev.plumb.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plumb.childjvm.JavaCommand;
import dev.plumb.childjvm.ServerProcess;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.shared.testing.Checksum;
import dev.plumb.shared.testing.ChecksumsGrpc;
import dev.plumb.shared.testing.MakeRequest;
import dev.plumb.shared.testing.Upload;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared buffers between two processes over one transport, both ways: stock stubs and a stock
 * service ({@link SharedServerMain}, in a process of its own) whose messages name buffers. On a
 * link that passes descriptors the receiver maps the sender's own pages; elsewhere the bytes
 * travel inline and the receiver reads a private copy through the same API. Each transport's
 * subclass says how to reach the server and which of the two it expects.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractAttachedCallsTest {
  /** Made for each test class before its {@code @BeforeAll}, which an instance field is not. */
  @TempDir
  static Path directory;
  private ServerProcess server;
  private ManagedChannel channel;

  /**
   * Where the server process listens ({@code directory} holds this class's files), or null if
   * the channel starts its server itself.
   */
  protected abstract String listenAddress(Path directory);

  /** A builder of a channel to the server under test. */
  protected ManagedChannelBuilder<?> channelBuilder() {
    return PlumbChannelBuilder.forTarget(server.address());
  }

  /** Whether the transport passes descriptors, so the receiver reads the sender's pages. */
  protected abstract boolean passesDescriptors();

  protected final ManagedChannel channel() {
    if (channel == null) {
      channel = channelBuilder().build();
    }
    return channel;
  }

  protected final ChecksumsGrpc.ChecksumsBlockingStub stub() {
    return ChecksumsGrpc.newBlockingStub(channel());
  }

  @BeforeAll
  void startServer() throws Exception {
    String listen = listenAddress(directory);
    if (listen != null) {
      server = ServerProcess.start("server", JavaCommand.of(List.of(),
          SharedServerMain.class.getName(), List.of(listen)),
          Duration.ofSeconds(30), Duration.ofSeconds(10));
    }
  }

  @AfterAll
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(20, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aRequestCarriesA16MiBBufferToAnotherProcess() throws Exception {
    long size = 16L << 20;
    try (SharedBuffer buffer = SharedServerMain.filled(size, 7)) {
      Checksum answer = stub().sum(Upload.newBuilder().setName("big").setData(buffer.seal())
          .build());
      assertEquals(localChecksum(buffer), answer.getCrc32C());
      assertEquals(passesDescriptors(), answer.getSharedMemory(),
          "whether the server read the client's own pages");
    }
  }

  @Test
  void aResponseCarriesABuffer() throws Exception {
    long size = (3L << 20) + 5;
    Upload made = stub().make(MakeRequest.newBuilder().setSize(size).setSeed(11).build());
    try (SharedBufferView view = SharedBuffers.open(made.getData())) {
      assertEquals(passesDescriptors(), view.isSharedMemory(),
          "whether the client reads the server's own pages");
      assertEquals(size, view.length());
      assertEquals(SharedServerMain.checksumOf(size, 11),
          SharedServerMain.crcOf(view, new CRC32C()));
    }
  }

  @Test
  void aServerStreamCarriesABufferInEachResponse() throws Exception {
    long size = 1L << 20;
    Iterator<Upload> made = stub().makeMany(MakeRequest.newBuilder().setCount(5).setSize(size)
        .setSeed(100).build());
    int count = 0;
    while (made.hasNext()) {
      try (SharedBufferView view = SharedBuffers.open(made.next().getData())) {
        assertEquals(passesDescriptors(), view.isSharedMemory(), "response " + count);
        assertEquals(SharedServerMain.checksumOf(size, 100 + count),
            SharedServerMain.crcOf(view, new CRC32C()), "response " + count);
      }
      count++;
    }
    assertEquals(5, count);
  }

  @Test
  void aClientStreamCarriesABufferInEachRequest() throws Exception {
    CompletableFuture<Checksum> answer = new CompletableFuture<>();
    StreamObserver<Upload> requests = ChecksumsGrpc.newStub(channel()).sumAll(
        new StreamObserver<>() {
          @Override
          public void onNext(Checksum value) {
            answer.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    CRC32C expected = new CRC32C();
    for (int i = 0; i < 4; i++) {
      // Each buffer is closed right after its message went to gRPC: the call keeps its own.
      try (SharedBuffer buffer = SharedServerMain.filled((256 << 10) + i, 40 + i)) {
        requests.onNext(Upload.newBuilder().setName("part " + i).setData(buffer.seal()).build());
        try (SharedBufferView view = SharedBuffers.open(buffer.seal())) {
          SharedServerMain.crcOf(view, expected);
        }
      }
    }
    requests.onCompleted();
    assertEquals(expected.getValue(), answer.get(60, TimeUnit.SECONDS).getCrc32C());
  }

  /**
   * gRPC's retries replay the request on a new stream, below the interceptor: that attempt's
   * stream sends the attachment again. The first attempt fails UNAVAILABLE at the server before
   * the service reads its request, so what it carried is closed unclaimed, and only the second
   * attempt's own attachment can open.
   */
  @Test
  void aRetriedCallSendsItsBufferAgainOnTheNewAttempt() throws Exception {
    Map<String, Object> retryPolicy = Map.of("maxAttempts", 3.0, "initialBackoff", "0.01s",
        "maxBackoff", "0.1s", "backoffMultiplier", 2.0, "retryableStatusCodes",
        List.of("UNAVAILABLE"));
    Map<String, Object> config = Map.of("methodConfig", List.of(Map.of(
        "name", List.of(Map.of("service", "plumb.shared.testing.Checksums")),
        "retryPolicy", retryPolicy)));
    ManagedChannel retrying = channelBuilder().defaultServiceConfig(config).enableRetry().build();
    try (SharedBuffer buffer = SharedServerMain.filled(2L << 20, 3)) {
      Metadata failOnce = new Metadata();
      failOnce.put(SharedServerMain.FailOnce.FAIL_ONCE, "retried");
      Checksum answer = ChecksumsGrpc.newBlockingStub(retrying)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(failOnce))
          .sum(Upload.newBuilder().setName("retried").setData(buffer.seal()).build());
      assertEquals(localChecksum(buffer), answer.getCrc32C());
    } finally {
      retrying.shutdownNow().awaitTermination(20, TimeUnit.SECONDS);
    }
  }

  private static long localChecksum(SharedBuffer buffer) throws IOException {
    try (SharedBufferView view = SharedBuffers.open(buffer.seal())) {
      return SharedServerMain.crcOf(view, new CRC32C());
    }
  }
}
