package dev.plumb.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.testing.ChildJvm;
import dev.plumb.shared.testing.Checksum;
import dev.plumb.shared.testing.ChecksumsGrpc;
import dev.plumb.shared.testing.MakeRequest;
import dev.plumb.shared.testing.Upload;
import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shared buffers over {@code pipe:} (the server is the channel's child, on its stdin and
 * stdout), which passes no descriptors: the bytes travel inline both ways and the receiver
 * reads a private copy.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipeAttachedCallsTest {
  private static ManagedChannel channel;
  private static ChecksumsGrpc.ChecksumsBlockingStub stub;

  @BeforeAll
  static void startChild() {
    channel = PlumbChannelBuilder.forTarget(
        "pipe:" + ChildJvm.commandLine(SharedServerMain.class, "stdio:")).build();
    stub = ChecksumsGrpc.newBlockingStub(channel);
  }

  @AfterAll
  static void stopChild() throws InterruptedException {
    channel.shutdownNow().awaitTermination(20, TimeUnit.SECONDS);
  }

  @Test
  void aRequestsBufferReachesTheChildInline() throws Exception {
    long size = 8L << 20;
    try (SharedBuffer buffer = SharedServerMain.filled(size, 13)) {
      Checksum answer = stub.sum(Upload.newBuilder().setData(buffer.seal()).build());
      assertEquals(SharedServerMain.checksumOf(size, 13), answer.getCrc32C());
      assertFalse(answer.getSharedMemory());
    }
  }

  @Test
  void aResponsesBufferReachesTheParentInline() throws Exception {
    long size = (1L << 20) + 17;
    Upload made = stub.make(MakeRequest.newBuilder().setSize(size).setSeed(8).build());
    try (SharedBufferView view = SharedBuffers.open(made.getData())) {
      assertFalse(view.isSharedMemory());
      assertEquals(SharedServerMain.checksumOf(size, 8),
          SharedServerMain.crcOf(view, new CRC32C()));
    }
  }
}
