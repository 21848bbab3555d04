package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.registry.TransportRegistry;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.PlumbAddress;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that writes hostile counters or records into the shared rings ({@link RawShmServer},
 * the test writing straight into the ring memory the client has mapped): each case ends the
 * client's connection with a status naming the bad value within {@link #PROMPTLY_MILLIS}, and
 * the connection's threads end. Before the counters were checked, a tail behind the head or an
 * endless run of padding kept the reader spinning and the connection open for good.
 */
@Timeout(60)
class ShmHostileRingTest {
  private static final int CAPACITY = RingDescriptor.MIN_CAPACITY;
  private static final long PROMPTLY_MILLIS = 5_000;

  @TempDir
  Path sockets;

  /** Connects a real client to a raw server, lets {@code hostile} act, returns the close status. */
  private Status closeStatusAfter(HostileAct hostile) throws Exception {
    Path socketPath = sockets.resolve("hostile.sock");
    try (RawShmServer raw = RawShmServer.start(socketPath, CAPACITY, header -> { })) {
      PlumbAddress address = TransportRegistry.getDefault().parse("shm://" + socketPath);
      Connection client = TransportRegistry.getDefault().transportFor(address).connect(address)
          .get(10, TimeUnit.SECONDS);
      ClosingHandler handler = new ClosingHandler();
      handler.start(client);
      raw.client();
      hostile.act(raw, client);
      Status status = handler.awaitClose(PROMPTLY_MILLIS);
      client.close(Status.CANCELLED.withDescription("test over"));
      assertNotNull(status, "the connection did not end within " + PROMPTLY_MILLIS + " ms");
      ConnectionThreads.awaitNone(PROMPTLY_MILLIS);
      return status;
    }
  }

  @FunctionalInterface
  private interface HostileAct {
    void act(RawShmServer raw, Connection client) throws Exception;
  }

  /** Publishes {@code tail} on the ring the client reads, after {@code records}, and rings. */
  private static HostileAct publish(long tail, Consumer<ByteBuffer> records) {
    return (raw, client) -> {
      ByteBuffer ring = raw.serverToClient();
      records.accept(ring);
      ring.putLong(RingDescriptor.TAIL_OFFSET, tail);
      raw.ring(ShmConnection.DOORBELL_DATA);
    };
  }

  private static void assertInternal(Status status, String names) {
    assertEquals(Status.Code.INTERNAL, status.getCode(), status.toString());
    assertTrue(status.getDescription().contains(names), status.toString());
  }

  @Test
  void aTailBehindTheHeadEndsTheConnection() throws Exception {
    assertInternal(closeStatusAfter(publish(-8, ring -> { })),
        "the ring's tail -8 is not valid: tail -8 minus head 0 is -8 bytes, where 0 to 4096");
  }

  @Test
  void aTailBeyondTheCapacityEndsTheConnection() throws Exception {
    assertInternal(closeStatusAfter(publish(4 * CAPACITY, ring -> { })),
        "the ring's tail 16384 is not valid: tail 16384 minus head 0 is 16384 bytes");
  }

  @Test
  void aMisalignedTailEndsTheConnection() throws Exception {
    assertInternal(closeStatusAfter(publish(12, ring -> { })),
        "the ring's tail 12 is not valid");
  }

  @Test
  void aRecordLongerThanTheRingEndsTheConnection() throws Exception {
    assertInternal(closeStatusAfter(publish(16,
        ring -> ring.putInt(RingDescriptor.DATA_OFFSET, 1 << 20))),
        "a record of 1048576 bytes at ring offset 0, where at most 8 bytes remain");
  }

  @Test
  void anEndlessRunOfPaddingEndsTheConnection() throws Exception {
    // Padding over the whole ring, republished whenever the client has consumed it: the old
    // reader skipped it forever at full speed.
    Status status = closeStatusAfter((raw, client) -> {
      ByteBuffer ring = raw.serverToClient();
      ring.putInt(RingDescriptor.DATA_OFFSET, -CAPACITY);
      Thread republisher = new Thread(() -> {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROMPTLY_MILLIS);
        while (System.nanoTime() < deadline) {
          long head = ring.getLong(RingDescriptor.HEAD_OFFSET);
          if (ring.getLong(RingDescriptor.TAIL_OFFSET) == head) {
            ring.putLong(RingDescriptor.TAIL_OFFSET, head + CAPACITY);
            try {
              raw.ring(ShmConnection.DOORBELL_DATA);
            } catch (Exception e) {
              return;  // The client is gone.
            }
          }
          Thread.onSpinWait();
        }
      }, "padding-republisher");
      republisher.setDaemon(true);
      republisher.start();
    });
    assertInternal(status, "padding of 4096 bytes at ring offset 0, where padding must run from"
        + " a record's end exactly to the end of the data area");
  }

  @Test
  void aHeadTheClientCannotTrustEndsTheConnectionWhenItWrites() throws Exception {
    Status status = closeStatusAfter((raw, client) -> {
      raw.clientToServer().putLong(RingDescriptor.HEAD_OFFSET, 3);
      // Five records of 1 KiB overfill the 4 KiB ring: the fifth makes the client read head.
      for (int i = 0; i < 5; i++) {
        client.write(Frame.of(FrameType.DATA, 0, 1, ByteBuffer.allocate(1000)));
      }
      client.flush();
    });
    assertInternal(status, "the ring's head 3 is not valid: tail 4096 minus head 3");
  }
}
