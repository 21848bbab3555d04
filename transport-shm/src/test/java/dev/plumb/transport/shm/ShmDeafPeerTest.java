package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that consumes its ring but never reads its rendezvous socket, and announces before
 * every record that it sleeps, so that every flush owes it a doorbell: the socket's buffer
 * fills after a few hundred bytes. Flushes must still return promptly (the core calls them
 * under its session lock) and the connection must still close within a bound. Before doorbells
 * had a thread of their own, the flush that found the socket full blocked for good.
 */
@Timeout(60)
class ShmDeafPeerTest {
  private static final int CAPACITY = 64 * 1024;
  /** Far more doorbells than an AF_UNIX socket buffer holds (about 280 one-byte writes). */
  private static final int FLUSHES = 5_000;
  private static final long PROMPTLY_MILLIS = 5_000;

  @TempDir
  Path sockets;

  @Test
  void flushesReturnAndCloseEndsThoughThePeerNeverReadsItsSocket() throws Exception {
    Path socketPath = sockets.resolve("deaf.sock");
    try (RawShmServer deaf = RawShmServer.start(socketPath, CAPACITY, header -> { })) {
      PlumbAddress address = TransportRegistry.getDefault().parse("shm://" + socketPath);
      Connection client = TransportRegistry.getDefault().transportFor(address).connect(address)
          .get(10, TimeUnit.SECONDS);
      ClosingHandler handler = new ClosingHandler();
      handler.start(client);
      deaf.client();
      ByteBuffer ring = deaf.clientToServer();
      AtomicLong slowestFlushNanos = new AtomicLong();
      Thread flusher = new Thread(() -> {
        for (int i = 0; i < FLUSHES; i++) {
          // The deaf peer announces that it sleeps, so this flush must ring its doorbell...
          ring.putLong(RingDescriptor.CONSUMER_SLEEPS_OFFSET, 1);
          client.write(Frame.of(FrameType.DATA, 0, 1, ByteBuffer.allocate(8)));
          long started = System.nanoTime();
          client.flush();
          slowestFlushNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
          // ...and consumes what was published (same thread: program order makes it visible).
          ring.putLong(RingDescriptor.HEAD_OFFSET, ring.getLong(RingDescriptor.TAIL_OFFSET));
        }
      }, "deaf-peer-flusher");
      flusher.setDaemon(true);
      flusher.start();
      flusher.join(TimeUnit.SECONDS.toMillis(20));
      assertFalse(flusher.isAlive(), "a flush blocked: the flusher is stuck in "
          + java.util.Arrays.toString(flusher.getStackTrace()));
      long slowestMillis = TimeUnit.NANOSECONDS.toMillis(slowestFlushNanos.get());
      System.out.println("shm: " + FLUSHES + " flushes to a deaf peer, slowest " + slowestMillis
          + " ms; " + deaf.client().getInputStream().available() + " doorbell bytes unread");
      assertTrue(slowestMillis < 1_000, "slowest flush " + slowestMillis + " ms");
      long closing = System.nanoTime();
      client.close(Status.CANCELLED.withDescription("test over"));
      assertNotNull(handler.awaitClose(PROMPTLY_MILLIS),
          "close did not end the connection within " + PROMPTLY_MILLIS + " ms");
      System.out.println("shm: closed " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime()
          - closing) + " ms after close");
      ConnectionThreads.awaitNone(PROMPTLY_MILLIS);
    }
  }
}
