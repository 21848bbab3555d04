package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.transport.shm.SegmentDescriptor.BadSegmentException;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The segment header's checks: {@link SegmentDescriptor#validate} names the field that does not
 * match; and a server that hands out such a segment fails the client's calls with UNAVAILABLE
 * and that reason (a fake server here: {@link RawShmServer}).
 */
@Timeout(60)
class ShmBadSegmentTest {
  private static final int CAPACITY = 4096;

  @TempDir
  Path sockets;
  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  private static ByteBuffer segment(Consumer<ByteBuffer> spoil) {
    ByteBuffer segment = ByteBuffer.allocateDirect((int) SegmentDescriptor.segmentLength(CAPACITY));
    SegmentDescriptor.write(segment, CAPACITY);
    spoil.accept(segment.duplicate().order(ByteOrder.nativeOrder()));
    return segment;
  }

  private static String refusal(ByteBuffer segment, long length) {
    return assertThrows(BadSegmentException.class,
        () -> SegmentDescriptor.validate(segment, length)).getMessage();
  }

  @Test
  void aGoodHeaderPassesAndEachBadFieldIsNamed() throws Exception {
    long length = SegmentDescriptor.segmentLength(CAPACITY);
    assertEquals(CAPACITY, SegmentDescriptor.validate(segment(b -> { }), length));
    assertTrue(refusal(segment(b -> b.put(0, (byte) 'X')), length)
        .contains("does not start with the shm: magic"));
    assertTrue(refusal(segment(b -> b.putInt(SegmentDescriptor.VERSION_OFFSET, 2)), length)
        .contains("layout version 2, this side reads version 1"));
    assertTrue(refusal(segment(b -> b.putInt(SegmentDescriptor.VERSION_OFFSET, 0)), length)
        .contains("not ready"));
    assertTrue(refusal(segment(b -> b.putInt(SegmentDescriptor.CAPACITY_OFFSET, 5000)), length)
        .contains("power of two"));
    assertTrue(refusal(segment(b -> { }), length - 8).contains("size does not match"));
    assertTrue(refusal(segment(b -> b.putLong(SegmentDescriptor.SERVER_TO_CLIENT_OFFSET_OFFSET,
        64)), length).contains("s2c at 64"));
    assertTrue(refusal(segment(b -> { }), 16).contains("shorter than its"));
  }

  @Test
  void aServerWithAnotherLayoutVersionFailsCallsWithUnavailableAndTheReason() throws Exception {
    Path socketPath = sockets.resolve("fake.sock");
    try (RawShmServer fake = RawShmServer.start(socketPath, CAPACITY,
        header -> header.putInt(SegmentDescriptor.VERSION_OFFSET, 2))) {
      ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget("shm://" + socketPath)
          .build());
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
              .unary(EchoRequest.getDefaultInstance()));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
      assertTrue(e.getStatus().getDescription().contains("refusing the server's shared-memory"
          + " segment: the shared-memory segment has layout version 2, this side reads version"
          + " 1"), e.getStatus().toString());
    }
  }
}
