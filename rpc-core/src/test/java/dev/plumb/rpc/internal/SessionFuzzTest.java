package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.frame.ControlFrames;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameCodec;
import dev.plumb.rpc.frame.FrameType;
import io.grpc.Metadata;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Random frame sequences against a server session, through the harness: frames that the
 * frame codec would let through (the session's input), in any order and with any content.
 * Seeded, so a failure names the seed that reproduces it. Whatever a peer sends, the session
 * must not throw, must never run a callback under its lock, must say GO_AWAY before it closes
 * for a protocol error, and must end every call it started once the link is gone.
 */
class SessionFuzzTest {
  private static final int SEQUENCES = 2000;
  private static final int MAX_FRAMES = 40;
  private static final FrameType[] TYPES = FrameType.values();
  private static final int[] STREAM_IDS = {1, 2, 3, 5, 7, 9, 0x7fffffff};

  @Test
  void randomFrameSequencesNeverBreakTheSessionsPromises() {
    long base = 0x5EED_F00DL;
    for (int i = 0; i < SEQUENCES; i++) {
      long seed = base + i;
      try {
        runSequence(new Random(seed));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("sequence with seed " + seed + " failed: " + e, e);
      }
    }
  }

  private static void runSequence(Random random) {
    RecordingServer calls = new RecordingServer();
    SessionHarness server = SessionHarness.server(
        ProtocolSettings.DEFAULTS.withWindows(4096, 16384).withMaxResets(20, 1, TimeUnit.SECONDS),
        calls);
    calls.harness = server;
    server.sent();
    if (random.nextInt(8) != 0) {
      server.receiveHello();
    }
    int frames = 1 + random.nextInt(MAX_FRAMES);
    for (int f = 0; f < frames && server.closedWith() == null; ) {
      // Frames come in reads of one to four, as a link delivers them (small DATA is merged).
      Frame[] read = new Frame[1 + random.nextInt(4)];
      for (int r = 0; r < read.length; r++, f++) {
        read[r] = randomFrame(random);
      }
      server.receiveTogether(read);
      if (random.nextInt(16) == 0) {
        server.clock.forward(random.nextInt(2000), TimeUnit.MILLISECONDS);
      }
    }
    List<Frame> written = server.sent();
    Status closed = server.closedWith();
    if (closed != null && closed.getCode() != Status.Code.UNAVAILABLE) {
      // A protocol error or a flood: the peer is told why before the link closes.
      assertTrue(written.stream().anyMatch(frame -> frame.type() == FrameType.GO_AWAY),
          "closed with " + closed + " and no GO_AWAY; wrote " + written);
    }
    server.close(Status.UNAVAILABLE.withDescription("the test hangs up"));
    server.settle();
    assertEquals(List.of(), calls.underLock, "callbacks under the session lock");
    calls.ends.forEach((id, ends) -> assertEquals(1, ends, "ends of the call on stream " + id));
  }

  private static Frame randomFrame(Random random) {
    FrameType type = TYPES[random.nextInt(TYPES.length)];
    int flags = random.nextInt(4) == 0 ? Frame.FLAG_END_STREAM : 0;
    boolean connectionLevel = type == FrameType.HELLO || type == FrameType.PING
        || type == FrameType.GO_AWAY;
    boolean streamLevel = type == FrameType.HEADERS || type == FrameType.DATA
        || type == FrameType.TRAILERS || type == FrameType.RESET;
    int streamId = connectionLevel ? 0
        : streamLevel || random.nextBoolean() ? STREAM_IDS[random.nextInt(STREAM_IDS.length)] : 0;
    return Frame.of(type, flags, streamId, payload(random, type, streamId));
  }

  private static ByteBuffer payload(Random random, FrameType type, int streamId) {
    switch (type) {
      case PING:
        return ByteBuffer.allocate(FrameCodec.PING_LENGTH).putLong(random.nextLong()).flip();
      case WINDOW_UPDATE:
        int increment = random.nextInt(4) == 0 ? random.nextInt() : 1 + random.nextInt(8192);
        return ByteBuffer.allocate(FrameCodec.WINDOW_UPDATE_LENGTH).putInt(increment).flip();
      case HEADERS:
        if (random.nextInt(4) != 0) {
          Metadata metadata = new Metadata();
          if (random.nextInt(4) == 0) {
            metadata.put(Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER),
                random.nextBoolean() ? "zz" : "1S");
          }
          return ByteBuffer.wrap(MetadataCodec.encode(random.nextInt(8) == 0 ? "" : "svc/M",
              "fuzz", metadata));
        }
        return randomBytes(random, 64);
      case DATA:
        return random.nextInt(3) == 0 ? ByteBuffer.allocate(0) : grpcMessage(random);
      case RESET:
        return random.nextBoolean() ? ControlFrames.reset(streamId, Status.CANCELLED).payload()
            : randomBytes(random, 16);
      default:
        return randomBytes(random, 64);
    }
  }

  /** A DATA payload: a gRPC message with a length prefix that may or may not be honest. */
  private static ByteBuffer grpcMessage(Random random) {
    int length = random.nextInt(3000);
    int claimed = random.nextInt(8) == 0 ? random.nextInt() : length;
    ByteBuffer payload = ByteBuffer.allocate(5 + length);
    payload.put((byte) (random.nextInt(8) == 0 ? 1 : 0)).putInt(claimed);
    random.ints(length).forEach(b -> payload.put((byte) b));
    return payload.flip();
  }

  private static ByteBuffer randomBytes(Random random, int max) {
    byte[] bytes = new byte[random.nextInt(max + 1)];
    random.nextBytes(bytes);
    return ByteBuffer.wrap(bytes);
  }
}
