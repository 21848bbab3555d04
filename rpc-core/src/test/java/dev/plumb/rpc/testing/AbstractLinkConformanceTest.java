package dev.plumb.rpc.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.rpc.frame.AttachFrames;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.spi.Connection;
import io.grpc.Grpc;
import io.grpc.Status;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The link-level half of the conformance kit: a transport's {@link Connection}s, driven through
 * the SPI with no gRPC above them. Frames arrive in order and intact, death is reported exactly
 * once, close sends what was queued, both ends name each other.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class AbstractLinkConformanceTest {
  private static final int MAX_FRAME = 64 * 1024;

  private AcceptingListener listening;

  /** A fresh address to listen on. */
  protected abstract String listenAddress();

  @BeforeEach
  void listen() throws IOException {
    listening = AcceptingListener.on(listenAddress());
  }

  @AfterEach
  void closeAll() {
    listening.close();
  }

  /** A started pair: the client end first, the server end second. */
  private Pair connectPair() throws Exception {
    AcceptingListener.Ends ends = listening.connect();
    Pair pair = new Pair(ends.client(), ends.server());
    pair.client.start(pair.clientHandler);
    pair.server.start(pair.serverHandler);
    return pair;
  }

  private static final class Pair {
    final Connection client;
    final Connection server;
    final RecordingHandler clientHandler = new RecordingHandler(MAX_FRAME);
    final RecordingHandler serverHandler = new RecordingHandler(MAX_FRAME);

    Pair(Connection client, Connection server) {
      this.client = client;
      this.server = server;
    }
  }

  private static Frame numbered(int sequence, int size) {
    ByteBuffer payload = ByteBuffer.allocate(Math.max(4, size));
    payload.putInt(sequence);
    while (payload.hasRemaining()) {
      payload.put((byte) (sequence + payload.position()));
    }
    return Frame.of(FrameType.DATA, 0, 1 + 2 * (sequence % 7), payload.flip());
  }

  private static void assertNumbered(Frame frame, int sequence, int size) {
    Frame expected = numbered(sequence, size);
    assertEquals(FrameType.DATA, frame.type());
    assertEquals(expected.streamId(), frame.streamId());
    assertArrayEquals(expected.payloadBytes(), frame.payloadBytes(), "frame " + sequence);
  }

  @Test
  void framesArriveInOrderAndIntactBothWays() throws Exception {
    Pair pair = connectPair();
    int count = 2000;
    int[] sizes = new Random(42).ints(count, 4, 20_000).toArray();
    CompletableFuture<Void> toServer = CompletableFuture.runAsync(() -> send(pair.client, sizes));
    CompletableFuture<Void> toClient = CompletableFuture.runAsync(() -> send(pair.server, sizes));
    for (int i = 0; i < count; i++) {
      assertNumbered(pair.serverHandler.nextFrame(), i, sizes[i]);
      assertNumbered(pair.clientHandler.nextFrame(), i, sizes[i]);
    }
    toServer.get(10, TimeUnit.SECONDS);
    toClient.get(10, TimeUnit.SECONDS);
  }

  private static void send(Connection connection, int[] sizes) {
    for (int i = 0; i < sizes.length; i++) {
      connection.write(numbered(i, sizes[i]));
      if (i % 16 == 15) {
        connection.flush();
      }
    }
    connection.flush();
  }

  /**
   * Where the link passes descriptors: the ones written with each ATTACH reach the handler that
   * takes them while it handles that ATTACH, in order, with other frames in between; the files
   * they open are the sender's.
   */
  @Test
  void descriptorsReachTheHandlerWithTheirFramesInOrder(@TempDir Path files) throws Exception {
    Pair pair = connectPair();
    assumeTrue(pair.client.canPassDescriptors(), "this transport's links pass no descriptors");
    pair.serverHandler.takeDescriptorsFrom(pair.server);
    int count = 40;
    for (int i = 0; i < count; i++) {
      Path file = files.resolve("file-" + i);
      Files.writeString(file, "file " + i);
      pair.client.write(numbered(i, 100 + i));
      pair.client.write(AttachFrames.attach(1, i, List.of(new AttachFrames.Entry(
              new byte[AttachFrames.TOKEN_LENGTH], Files.size(file), AttachFrames.MODE_DESCRIPTOR))),
          new RandomAccessFile[] {new RandomAccessFile(file.toFile(), "r")});
      if (i % 8 == 7) {
        pair.client.flush();
      }
    }
    pair.client.flush();
    for (int i = 0; i < count; i++) {
      FileDescriptor[] taken = pair.serverHandler.nextDescriptors();
      assertEquals(1, taken.length, "the descriptors of ATTACH " + i);
      try (FileInputStream in = new FileInputStream(taken[0])) {
        assertEquals("file " + i, new String(in.readAllBytes(), StandardCharsets.US_ASCII));
      }
    }
  }

  /**
   * Several application threads write at once on both ends, flushing with {@link
   * Connection#flush} and {@link Connection#flushOnCallingThread} in turn, small frames and
   * large: every frame arrives, and each thread's frames in the order it wrote them.
   */
  @Test
  void framesFlushedByManyThreadsBothWaysKeepEachThreadsOrder() throws Exception {
    Pair pair = connectPair();
    int threads = 4;
    int perThread = 500;
    List<CompletableFuture<Void>> senders = new ArrayList<>();
    for (int thread = 0; thread < threads; thread++) {
      int id = 1 + 2 * thread;
      senders.add(CompletableFuture.runAsync(() -> sendTagged(pair.client, id, perThread)));
      senders.add(CompletableFuture.runAsync(() -> sendTagged(pair.server, id, perThread)));
    }
    for (RecordingHandler receiver : List.of(pair.serverHandler, pair.clientHandler)) {
      int[] next = new int[1 + 2 * threads];
      for (int i = 0; i < threads * perThread; i++) {
        Frame frame = receiver.nextFrame();
        int id = frame.streamId();
        assertEquals(next[id]++, frame.payload().getInt(frame.payload().position()),
            "frame of thread " + id + " out of order");
      }
    }
    for (CompletableFuture<Void> sender : senders) {
      sender.get(10, TimeUnit.SECONDS);
    }
  }

  /** Frames of stream {@code id} numbered 0 up, of 4 bytes to 24 KiB, flushed both ways. */
  private static void sendTagged(Connection connection, int id, int count) {
    Random sizes = new Random(id);
    for (int i = 0; i < count; i++) {
      ByteBuffer payload = ByteBuffer.allocate(4 + (i % 10 == 9 ? 24 * 1024 : sizes.nextInt(64)));
      payload.putInt(0, i);
      connection.write(Frame.of(FrameType.DATA, 0, id, payload));
      if (i % 2 == 0) {
        connection.flushOnCallingThread();
      } else if (i % 3 == 0) {
        connection.flush();
      }
    }
    connection.flushOnCallingThread();
  }

  /**
   * The core bounds what it writes by what the link reports taken ({@code onSent}), and hands
   * merged small DATA to gRPC when a read is complete ({@code onReadComplete}): a link that
   * missed either would stall calls.
   */
  @Test
  void everyFrameIsReportedSentAndEveryReadEndsComplete() throws Exception {
    Pair pair = connectPair();
    int count = 500;
    long wireBytes = 0;
    for (int i = 0; i < count; i++) {
      Frame frame = numbered(i, 4 + (i * 37) % 5000);
      wireBytes += frame.wireLength();
      pair.client.write(frame);
      if (i % 50 == 49) {
        pair.client.flush();
      }
    }
    for (int i = 0; i < count; i++) {
      pair.serverHandler.nextFrame();
    }
    long expected = wireBytes;
    awaitTrue(() -> pair.clientHandler.sent.get() == expected,
        () -> "reported sent " + pair.clientHandler.sent.get() + " of " + expected + " bytes");
    awaitTrue(() -> pair.serverHandler.deliveredAtReadComplete == count,
        () -> "the last read complete came after frame "
            + pair.serverHandler.deliveredAtReadComplete + " of " + count);
  }

  /** Waits up to 10 s for {@code condition}, which another thread makes true. */
  private static void awaitTrue(BooleanSupplier condition, Supplier<String> failure) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(failure.get());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  @Test
  void aFrameAtTheAdvertisedLimitPasses() throws Exception {
    Pair pair = connectPair();
    pair.client.write(numbered(7, MAX_FRAME));
    pair.client.flush();
    assertNumbered(pair.serverHandler.nextFrame(), 7, MAX_FRAME);
  }

  @Test
  void closeSendsWhatWasQueuedThenReportsDeathOnceOnEachSide() throws Exception {
    Pair pair = connectPair();
    for (int i = 0; i < 100; i++) {
      pair.client.write(numbered(i, 100));
    }
    pair.client.close(Status.UNAVAILABLE.withDescription("client is done"));
    for (int i = 0; i < 100; i++) {
      assertNumbered(pair.serverHandler.nextFrame(), i, 100);
    }
    assertEquals(Status.Code.UNAVAILABLE, pair.serverHandler.awaitClosed().getCode());
    Status own = pair.clientHandler.awaitClosed();
    assertTrue(own.getDescription().contains("client is done"), own.toString());
    // Closing again, and writing after death, neither throws nor reports again.
    pair.client.close(Status.CANCELLED);
    pair.client.write(numbered(1, 10));
    pair.client.flush();
    pair.server.close(Status.CANCELLED);
    assertEquals(1, pair.clientHandler.closeCount.get());
    assertEquals(1, pair.serverHandler.closeCount.get());
  }

  @Test
  void peerDeathIsReportedOnce() throws Exception {
    Pair pair = connectPair();
    pair.server.close(Status.UNAVAILABLE.withDescription("server went away"));
    Status status = pair.clientHandler.awaitClosed();
    assertEquals(Status.Code.UNAVAILABLE, status.getCode());
    pair.serverHandler.awaitClosed();
    pair.client.close(Status.CANCELLED);
    assertEquals(1, pair.clientHandler.closeCount.get());
  }

  @Test
  void aConnectionStartedAfterItsPeerClosedReportsDeath() throws Exception {
    AcceptingListener.Ends ends = listening.connect();
    Connection client = ends.client();
    Connection server = ends.server();
    RecordingHandler serverHandler = new RecordingHandler(MAX_FRAME);
    server.start(serverHandler);
    server.close(Status.UNAVAILABLE.withDescription("closed before the client started"));
    serverHandler.awaitClosed();
    RecordingHandler clientHandler = new RecordingHandler(MAX_FRAME);
    client.start(clientHandler);
    assertEquals(Status.Code.UNAVAILABLE, clientHandler.awaitClosed().getCode());
  }

  @Test
  void aConnectionClosedBeforeItStartedFreesItsLink() throws Exception {
    AcceptingListener.Ends ends = listening.connect();
    Connection client = ends.client();
    Connection server = ends.server();
    RecordingHandler serverHandler = new RecordingHandler(MAX_FRAME);
    server.start(serverHandler);
    // The core abandons a connect that completes after its transport shut down.
    client.close(Status.UNAVAILABLE.withDescription("abandoned"));
    assertEquals(Status.Code.UNAVAILABLE, serverHandler.awaitClosed().getCode());
    RecordingHandler late = new RecordingHandler(MAX_FRAME);
    client.start(late);
    assertEquals(Status.Code.UNAVAILABLE, late.awaitClosed().getCode());
  }

  @Test
  void bothEndsNameEachOther() throws Exception {
    Pair pair = connectPair();
    var clientAttrs = pair.client.attributes();
    var serverAttrs = pair.server.attributes();
    assertNotNull(clientAttrs.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    assertNotNull(clientAttrs.get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR));
    assertNotNull(serverAttrs.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    assertNotNull(serverAttrs.get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR));
    assertPeerIdentity(pair.client, pair.server);
  }

  /**
   * Checks what the transport says about who is on the other end. Transports that know
   * credentials (unix:, shm:, pipe:) assert them here; the default checks the addresses agree.
   */
  protected void assertPeerIdentity(Connection client, Connection server) {
    assertEquals(client.attributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR),
        server.attributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
  }

  @Test
  void listeningTwiceOnOneAddressFails() {
    var bound = listening.listener().boundAddress();
    IOException e = assertThrows(IOException.class,
        () -> listening.transport().listen(bound, connection -> { }).close());
    assertTrue(e.getMessage().contains(bound.toString()), e.getMessage());
  }

  @Test
  void connectingToNobodyFailsWithTheAddress() {
    var address = listening.listener().boundAddress();
    listening.listener().close();
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> listening.transport().connect(address).get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof IOException, e.getCause().toString());
  }
}
