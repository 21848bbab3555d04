package dev.plumb.rpc.internal;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.plumb.proto.wire.GoAway;
import dev.plumb.proto.wire.Hello;
import dev.plumb.proto.wire.Reset;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameCodec;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.PayloadPool;
import dev.plumb.rpc.frame.PooledBytes;
import io.grpc.Metadata;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the fuzzer's bytes into what happens to a server session, one step at a time: frames
 * a client sends (any type, stream and content the frame codec lets through, but mostly with
 * well-formed payloads, so that the fuzzer gets past the parsers to the session's logic), time
 * passing, and what the server's application does with its calls. Every choice is read from a
 * {@link FuzzedDataProvider}; when its bytes run out, so does the script.
 *
 * <p>The script keeps each stream's request messages: a DATA step queues whole gRPC messages
 * and sends any number of the queued bytes, so messages are split across frames and frames
 * carry parts of several. A stream that was sent anything else (a compressed message, raw
 * bytes) is {@linkplain #isGarbled garbled}. DATA payloads of {@link PayloadPool#SMALLEST}
 * bytes or more lie in arrays lent by the given pool, as the decoders lend them.
 *
 * <p>{@link SessionFuzzSeeds} writes inputs for this script: the two must read and write the
 * same choices in the same order.
 */
final class PeerScript {
  // The kinds of step, the script's first choice of each.
  static final int HELLO = 0;
  static final int HEADERS = 1;
  static final int DATA = 2;
  static final int RESET = 3;
  static final int WINDOW_UPDATE = 4;
  static final int PING = 5;
  static final int GO_AWAY = 6;
  static final int TRAILERS = 7;
  static final int RAW_FRAME = 8;
  static final int WAIT = 9;
  static final int RESPOND = 10;
  static final int FINISH = 11;
  static final int CANCEL = 12;
  static final int SHUTDOWN = 13;
  static final int LAST_STEP = SHUTDOWN;

  /** The values of each choice that reach the edges of the session's checks. */
  static final int[] STREAM_IDS = {1, 3, 5, 7, 9, 2, 0x7fff_ffff};
  static final int[] FRAME_SIZES = {0, 1024, 16_384, 1023, FrameCodec.MAX_FRAME_SIZE_LIMIT + 1};
  static final int[] WINDOWS = {0, 1, 100, 4096, 65_535, Integer.MAX_VALUE, -1};
  static final int[] STREAM_LIMITS = {0, 1, 2, 100};
  static final int[] METADATA_SIZES = {0, 16, 1024};
  static final int[] INCREMENTS = {1, 100, 4096, 65_535, Integer.MAX_VALUE, 0, -1};
  static final long[] WAITS_MILLIS = {1, 1000, 10_000, 20_000, 60_000, 300_000, 3_600_000};
  static final String[] METHODS = {"plumb.Fuzz/Call", ""};
  static final String[] TIMEOUTS = {null, "1S", "100m", "zz"};
  static final int MAX_RAW_BYTES = 64;
  /** Above the session's maximum message size in {@link SessionGuidedFuzzTest#SETTINGS}. */
  static final int MAX_MESSAGE = 9000;
  static final int MAX_DATA = 8192;
  static final int MAX_RESPONSE = 20_000;
  /** Bytes 0 to 250, over and over: no two offsets below 251 give the same run. */
  private static final byte[] PATTERN = new byte[MAX_MESSAGE + 251];

  static {
    for (int i = 0; i < PATTERN.length; i++) {
      PATTERN[i] = (byte) (i % 251);
    }
  }

  /** One step of the script. */
  sealed interface Step permits Receive, Wait, Respond, Finish, Cancel, Shutdown {}

  /** The client sends {@code frame}. */
  record Receive(Frame frame) implements Step {}

  /** Time passes. */
  record Wait(long millis) implements Step {}

  /** The application of the {@code call}-th call (modulo the calls there are) sends a message. */
  record Respond(int call, int bytes) implements Step {}

  /** The application ends the {@code call}-th call with a status of this code. */
  record Finish(int call, int code) implements Step {}

  /** The application cancels the {@code call}-th call. */
  record Cancel(int call) implements Step {}

  /** The server shuts the transport down, gracefully or not. */
  record Shutdown(boolean now) implements Step {}

  private final FuzzedDataProvider data;
  private final PayloadPool pool;
  private final Map<Integer, ByteArrayOutputStream> unsent = new HashMap<>();
  private final Map<Integer, List<byte[]>> queued = new HashMap<>();
  private final Map<Integer, Boolean> garbled = new HashMap<>();
  private final List<PooledBytes> lent = new ArrayList<>();

  PeerScript(FuzzedDataProvider data, PayloadPool pool) {
    this.data = data;
    this.pool = pool;
  }

  /** The next step, or null once the fuzzer's bytes are used up. */
  Step next() {
    if (data.remainingBytes() == 0) {
      return null;
    }
    switch (data.consumeInt(0, LAST_STEP)) {
      case HELLO:
        return receive(FrameType.HELLO, 0, 0, hello());
      case HEADERS:
        return headers(FrameType.HEADERS);
      case DATA:
        return data();
      case RESET:
        return receive(FrameType.RESET, 0, streamId(),
            data.consumeBoolean() ? rawBytes() : Reset.newBuilder()
                .setStatusCode(data.consumeInt(0, 16)).setMessage("fuzz").build().toByteArray());
      case WINDOW_UPDATE:
        return receive(FrameType.WINDOW_UPDATE, 0, data.consumeBoolean() ? 0 : streamId(),
            ByteBuffer.allocate(4).putInt(choice(INCREMENTS)).array());
      case PING:
        return receive(FrameType.PING, data.consumeBoolean() ? Frame.FLAG_ACK : 0, 0,
            ByteBuffer.allocate(8).putLong(data.consumeLong()).array());
      case GO_AWAY:
        return receive(FrameType.GO_AWAY, 0, 0, data.consumeBoolean() ? rawBytes()
            : GoAway.newBuilder().setLastStreamId(data.consumeInt())
                .setStatusCode(data.consumeInt(0, 16)).setMessage("fuzz").build().toByteArray());
      case TRAILERS:
        return headers(FrameType.TRAILERS);
      case RAW_FRAME:
        return rawFrame();
      case WAIT:
        return new Wait(choice(WAITS_MILLIS));
      case RESPOND:
        return new Respond(data.consumeInt(0, 7), data.consumeInt(0, MAX_RESPONSE));
      case FINISH:
        return new Finish(data.consumeInt(0, 7), data.consumeInt(0, 16));
      case CANCEL:
        return new Cancel(data.consumeInt(0, 7));
      default:
        return new Shutdown(data.consumeBoolean());
    }
  }

  /** The whole messages queued on {@code streamId} so far, in order. */
  List<byte[]> queuedMessages(int streamId) {
    return queued.getOrDefault(streamId, List.of());
  }

  /** The arrays lent to the DATA payloads sent so far. */
  List<PooledBytes> lentArrays() {
    return lent;
  }

  /** Whether {@code streamId} was sent bytes that are not whole, uncompressed messages. */
  boolean isGarbled(int streamId) {
    return garbled.getOrDefault(streamId, false);
  }

  private byte[] hello() {
    return Hello.newBuilder()
        .setAgent("fuzz")
        .setMaxFrameSize(choice(FRAME_SIZES))
        .setInitialStreamWindow(choice(WINDOWS))
        .setInitialConnectionWindow(choice(WINDOWS))
        .setMaxConcurrentStreams(choice(STREAM_LIMITS))
        .setMaxMetadataSize(choice(METADATA_SIZES))
        .build().toByteArray();
  }

  /** HEADERS or TRAILERS: request metadata, or raw bytes. */
  private Step headers(FrameType type) {
    int streamId = streamId();
    int flags = data.consumeBoolean() ? Frame.FLAG_END_STREAM : 0;
    if (data.consumeBoolean()) {
      return receive(type, flags, streamId, rawBytes());
    }
    String method = METHODS[data.consumeInt(0, METHODS.length - 1)];
    String timeout = TIMEOUTS[data.consumeInt(0, TIMEOUTS.length - 1)];
    Metadata metadata = new Metadata();
    if (timeout != null) {
      metadata.put(Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER), timeout);
    }
    return receive(type, flags, streamId, MetadataCodec.encode(method, "fuzz", metadata));
  }

  /**
   * DATA: queues up to two messages on the stream (or garbage), then sends up to
   * {@link #MAX_DATA} of its unsent bytes.
   */
  private Step data() {
    int streamId = streamId();
    int flags = data.consumeBoolean() ? Frame.FLAG_END_STREAM : 0;
    ByteArrayOutputStream stream = unsent.computeIfAbsent(streamId, id -> new ByteArrayOutputStream());
    if (data.consumeBoolean()) {
      garbled.put(streamId, true);
      stream.writeBytes(rawBytes());
    }
    for (int n = data.consumeInt(0, 2); n > 0; n--) {
      boolean compressed = data.consumeBoolean();
      byte[] message = message(streamId, data.consumeInt(0, MAX_MESSAGE));
      stream.write(compressed ? 1 : 0);
      stream.writeBytes(ByteBuffer.allocate(4).putInt(message.length).array());
      stream.writeBytes(message);
      if (compressed) {
        garbled.put(streamId, true);
      } else {
        queued.computeIfAbsent(streamId, id -> new ArrayList<>()).add(message);
      }
    }
    byte[] pending = stream.toByteArray();
    int length = Math.min(pending.length, data.consumeInt(0, MAX_DATA));
    stream.reset();
    stream.write(pending, length, pending.length - length);
    PooledBytes pooled = pool.take(length);
    if (pooled == null) {
      return receive(FrameType.DATA, flags, streamId, Arrays.copyOf(pending, length));
    }
    System.arraycopy(pending, 0, pooled.array(), 0, length);
    lent.add(pooled);
    return new Receive(Frame.pooled(FrameType.DATA, flags, streamId, pooled, length));
  }

  /** A frame of any type, flags and payload, on a stream the frame codec allows for its type. */
  private Step rawFrame() {
    FrameType type = FrameType.forCode(data.consumeInt(1, 8));
    int flags = data.consumeInt(0, 255);
    int streamId = streamId();
    byte[] payload = rawBytes();
    switch (type) {
      case HELLO:
      case GO_AWAY:
        streamId = 0;
        break;
      case PING:
        streamId = 0;
        payload = Arrays.copyOf(payload, FrameCodec.PING_LENGTH);
        break;
      case WINDOW_UPDATE:
        payload = Arrays.copyOf(payload, FrameCodec.WINDOW_UPDATE_LENGTH);
        break;
      case DATA:
        garbled.put(streamId, true);
        break;
      default:
        break;
    }
    return receive(type, flags, streamId, payload);
  }

  /**
   * A request message: its bytes tell its stream, its length and each position apart (a copy
   * out of a fixed pattern: a loop of the script's own would cost the fuzzer instrumented
   * steps).
   */
  private static byte[] message(int streamId, int length) {
    int offset = Math.floorMod(streamId * 31 + length * 7, 251);
    return Arrays.copyOfRange(PATTERN, offset, offset + length);
  }

  private int streamId() {
    int index = data.consumeInt(0, STREAM_IDS.length);
    return index < STREAM_IDS.length ? STREAM_IDS[index] : data.consumeInt(1, Integer.MAX_VALUE);
  }

  /** One of {@code values}, or any int. */
  private int choice(int[] values) {
    int index = data.consumeInt(0, values.length);
    return index < values.length ? values[index] : data.consumeInt();
  }

  /** One of {@code values}, or any non-negative int. */
  private long choice(long[] values) {
    int index = data.consumeInt(0, values.length);
    return index < values.length ? values[index] : data.consumeInt(0, Integer.MAX_VALUE);
  }

  private byte[] rawBytes() {
    return data.consumeBytes(data.consumeInt(0, MAX_RAW_BYTES));
  }

  private static Receive receive(FrameType type, int flags, int streamId, byte[] payload) {
    return new Receive(Frame.of(type, flags, streamId, payload));
  }
}
