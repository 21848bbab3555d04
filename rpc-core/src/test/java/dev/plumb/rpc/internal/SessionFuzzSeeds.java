package dev.plumb.rpc.internal;

import static dev.plumb.rpc.internal.PeerScript.DATA;
import static dev.plumb.rpc.internal.PeerScript.FINISH;
import static dev.plumb.rpc.internal.PeerScript.GO_AWAY;
import static dev.plumb.rpc.internal.PeerScript.HEADERS;
import static dev.plumb.rpc.internal.PeerScript.HELLO;
import static dev.plumb.rpc.internal.PeerScript.LAST_STEP;
import static dev.plumb.rpc.internal.PeerScript.PING;
import static dev.plumb.rpc.internal.PeerScript.RESET;
import static dev.plumb.rpc.internal.PeerScript.RESPOND;
import static dev.plumb.rpc.internal.PeerScript.SHUTDOWN;
import static dev.plumb.rpc.internal.PeerScript.WAIT;
import static dev.plumb.rpc.internal.PeerScript.WINDOW_UPDATE;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seed corpus of {@link SessionGuidedFuzzTest}: scripts that reach each part of a server
 * session, a call with messages both ways, flow control, rapid reset, keep-alive,
 * refusal, graceful shutdown, the handshake timeout. Each is written as the bytes from which
 * Jazzer's {@code FuzzedDataProvider} hands {@link PeerScript} these choices: a number in a
 * range is read from the end of the input, the fewest big-endian bytes that span the range,
 * and raw bytes from the front (as libFuzzer's provider does). {@code main} writes them into
 * the directory it is given; the fuzz test checks that the committed files are these.
 */
final class SessionFuzzSeeds {
  private SessionFuzzSeeds() {}

  static Map<String, byte[]> all() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("call-with-messages-both-ways", new Script()
        .hello(0, 0).headers(0, false)
        .data(0, false, 100, 1500).data(0, true)
        .respond(0, 3000).finish(0, 0).bytes());
    seeds.put("response-waits-for-window", new Script()
        .hello(2, 3).headers(0, false)
        .respond(0, 10_000)
        .windowUpdate(0, 2).windowUpdate(-1, 3)
        .respond(0, 15_000).finish(0, 0).bytes());
    seeds.put("request-beyond-the-window", new Script()
        .hello(0, 0).headers(0, false).data(0, false, 5000).bytes());
    Script rapidReset = new Script().hello(0, 0);
    for (int stream = 1; stream < 50; stream += 2) {
      rapidReset.headersOnStream(stream).resetStream(stream);
    }
    seeds.put("rapid-reset", rapidReset.bytes());
    seeds.put("keep-alive-answered-then-missed", new Script()
        .hello(0, 0).ping(false, 7)
        .waitMillis(4).ping(true, ServerKeepAlive.PAYLOAD)
        .waitMillis(5).bytes());
    seeds.put("refused-before-hello", new Script().goAway(0, 14).bytes());
    seeds.put("graceful-shutdown-with-a-call", new Script()
        .hello(0, 0).headers(0, false).shutdown(false).headers(1, false)
        .respond(0, 10).finish(0, 0).bytes());
    seeds.put("handshake-timeout", new Script().waitMillis(2).bytes());
    return seeds;
  }

  /** Writes the seeds into {@code args[0]}, the target's inputs directory. */
  public static void main(String[] args) throws IOException {
    Path directory = Files.createDirectories(Path.of(args[0]));
    for (Map.Entry<String, byte[]> seed : all().entrySet()) {
      Files.write(directory.resolve(seed.getKey()), seed.getValue());
    }
  }

  /**
   * A script as {@link PeerScript} reads it. Arguments named {@code ...Index} pick from the
   * script's tables of values ({@link PeerScript#STREAM_IDS}, {@link PeerScript#WINDOWS}, ...).
   */
  private static final class Script {
    private final ByteArrayOutputStream front = new ByteArrayOutputStream();
    /** The numbers' bytes, in the order they are read (from the end of the input). */
    private final ByteArrayOutputStream back = new ByteArrayOutputStream();

    Script hello(int streamWindowIndex, int connectionWindowIndex) {
      step(HELLO);
      choose(PeerScript.FRAME_SIZES.length, 0);
      choose(PeerScript.WINDOWS.length, streamWindowIndex);
      choose(PeerScript.WINDOWS.length, connectionWindowIndex);
      choose(PeerScript.STREAM_LIMITS.length, 0);
      return choose(PeerScript.METADATA_SIZES.length, 0);
    }

    Script headers(int streamIndex, boolean endStream) {
      step(HEADERS);
      choose(PeerScript.STREAM_IDS.length, streamIndex);
      bool(endStream);
      bool(false);  // not raw bytes
      number(0, PeerScript.METHODS.length - 1, 0);
      return number(0, PeerScript.TIMEOUTS.length - 1, 0);
    }

    /** HEADERS on any odd stream id, by value. */
    Script headersOnStream(int streamId) {
      step(HEADERS);
      anyStream(streamId);
      bool(false);
      bool(false);
      number(0, PeerScript.METHODS.length - 1, 0);
      return number(0, PeerScript.TIMEOUTS.length - 1, 0);
    }

    /** DATA that queues these messages and sends all of them. */
    Script data(int streamIndex, boolean endStream, int... messageLengths) {
      step(DATA);
      choose(PeerScript.STREAM_IDS.length, streamIndex);
      bool(endStream);
      bool(false);  // no garbage
      number(0, 2, messageLengths.length);
      int bytes = 0;
      for (int length : messageLengths) {
        bool(false);  // not compressed
        number(0, PeerScript.MAX_MESSAGE, length);
        bytes += 5 + length;
      }
      return number(0, PeerScript.MAX_DATA, Math.min(bytes, PeerScript.MAX_DATA));
    }

    /** RESET with a valid payload (CANCELLED) on any stream id, by value. */
    Script resetStream(int streamId) {
      step(RESET);
      anyStream(streamId);
      bool(false);
      return number(0, 16, 1);
    }

    /** WINDOW_UPDATE on the connection if {@code streamIndex} is -1. */
    Script windowUpdate(int streamIndex, int incrementIndex) {
      step(WINDOW_UPDATE);
      bool(streamIndex < 0);
      if (streamIndex >= 0) {
        choose(PeerScript.STREAM_IDS.length, streamIndex);
      }
      return choose(PeerScript.INCREMENTS.length, incrementIndex);
    }

    Script ping(boolean ack, long payload) {
      step(PING);
      bool(ack);
      return bytesOf(payload, 8);
    }

    Script goAway(int lastStreamId, int code) {
      step(GO_AWAY);
      bool(false);
      bytesOf(lastStreamId, 4);
      return number(0, 16, code);
    }

    Script waitMillis(int waitIndex) {
      step(WAIT);
      return choose(PeerScript.WAITS_MILLIS.length, waitIndex);
    }

    Script respond(int call, int bytes) {
      step(RESPOND);
      number(0, 7, call);
      return number(0, PeerScript.MAX_RESPONSE, bytes);
    }

    Script finish(int call, int code) {
      step(FINISH);
      number(0, 7, call);
      return number(0, 16, code);
    }

    Script shutdown(boolean now) {
      step(SHUTDOWN);
      return bool(now);
    }

    byte[] bytes() {
      ByteArrayOutputStream input = new ByteArrayOutputStream();
      input.writeBytes(front.toByteArray());
      byte[] numbers = back.toByteArray();
      for (int i = numbers.length - 1; i >= 0; i--) {
        input.write(numbers[i]);
      }
      return input.toByteArray();
    }

    private void step(int kind) {
      number(0, LAST_STEP, kind);
    }

    /** An index into a table of {@code size} values (size itself: any value, unused here). */
    private Script choose(int size, int index) {
      return number(0, size, index);
    }

    private void anyStream(int streamId) {
      choose(PeerScript.STREAM_IDS.length, PeerScript.STREAM_IDS.length);
      number(1, Integer.MAX_VALUE, streamId);
    }

    private Script bool(boolean value) {
      back.write(value ? 1 : 0);
      return this;
    }

    /** {@code value} in [min, max]: as many bytes as the range needs, most significant first. */
    private Script number(int min, int max, int value) {
      long range = (long) max - min;
      int length = 0;
      while (length < 4 && (range >>> (8 * length)) > 0) {
        length++;
      }
      return bytesOf((long) value - min, length);
    }

    /** An unconstrained int or long: all of its bytes. */
    private Script bytesOf(long value, int length) {
      for (int i = length - 1; i >= 0; i--) {
        back.write((int) (value >>> (8 * i)));
      }
      return this;
    }
  }
}
