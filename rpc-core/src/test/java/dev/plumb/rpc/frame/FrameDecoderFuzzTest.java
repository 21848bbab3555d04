package dev.plumb.rpc.frame;

import static dev.plumb.rpc.frame.FrameTestSupport.HEX;
import static dev.plumb.rpc.frame.FrameTestSupport.concat;
import static dev.plumb.rpc.frame.FrameTestSupport.decodedOf;
import static dev.plumb.rpc.frame.FrameTestSupport.encode;
import static dev.plumb.rpc.frame.FrameTestSupport.feed;
import static dev.plumb.rpc.frame.FrameTestSupport.fixedLength;
import static dev.plumb.rpc.frame.FrameTestSupport.header;
import static dev.plumb.rpc.frame.FrameTestSupport.isConnectionLevel;
import static dev.plumb.rpc.frame.FrameTestSupport.isStreamLevel;
import static dev.plumb.rpc.frame.FrameTestSupport.randomChunks;
import static dev.plumb.rpc.frame.FrameTestSupport.randomValidFrames;
import static dev.plumb.rpc.frame.FrameTestSupport.whole;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.frame.FrameTestSupport.Decoded;
import dev.plumb.rpc.frame.FrameTestSupport.Layout;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Deterministic fuzzing of {@link FrameDecoder}. Whatever the input, the decoder either emits
 * frames or throws {@link ProtocolException}: no other exception, no frame larger than the
 * maximum it was given, no frame its checks should have refused, and an outcome that does not
 * depend on how the input was split. Every case has its own seed, printed when it fails, so a
 * failure replays with {@code new Random(seed)}.
 *
 * <p>The timeout runs each test in a separate thread, so a decoder stuck in a loop fails the test
 * instead of hanging the build. Each test takes well under two seconds on an idle machine.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FrameDecoderFuzzTest {
  /** Cases per test. */
  private static final int CASES = 20_000;
  private static final long SEED = 0x504C_554D_420AL; // "PLUMB\n"
  private static final int[] MAX_FRAME_SIZES = {8, 100, 1024, 65_536};
  /** Header field values near the edges the decoder checks. */
  private static final long[] INTERESTING_LENGTHS =
      {0, 1, 3, 4, 5, 7, 8, 9, 99, 100, 101, 1023, 1024, 1025, 65_536, 65_537,
       FrameCodec.MAX_FRAME_SIZE_LIMIT, FrameCodec.MAX_FRAME_SIZE_LIMIT + 1L,
       0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL};
  private static final int[] INTERESTING_STREAM_IDS =
      {0, 1, 2, 7, 0x7FFF_FFFF, 0x8000_0000, 0x8000_0001, 0xFFFF_FFFF};
  private static final int[] INTERESTING_TYPE_CODES = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
      0x07, 0x08, 0x09, 0x0a, 0x0b, 0x7f, 0x80, 0xff};

  /** The kinds of error a description can name; the fuzzers must reach those they aim at. */
  private enum ErrorKind {
    WRONG_MAGIC("not a Plumb endpoint"),
    WRONG_VERSION("protocol version"),
    UNKNOWN_TYPE("unknown frame type"),
    OVERSIZED("exceeds the maximum frame size"),
    RESERVED_BIT("reserved stream id bit"),
    CONNECTION_FRAME_ON_STREAM("must be 0"),
    STREAM_FRAME_ON_STREAM_0("on stream 0"),
    WRONG_FIXED_LENGTH("bytes, must be");

    private final String marker;

    ErrorKind(String marker) {
      this.marker = marker;
    }

    static ErrorKind of(String description) {
      for (ErrorKind kind : values()) {
        if (description.contains(kind.marker)) {
          return kind;
        }
      }
      throw new AssertionError("unrecognised protocol error: " + description);
    }
  }

  /** What decoding one input came to; equal outcomes mean indistinguishable decoders. */
  private record Outcome(
      List<Decoded> frames, String error, boolean atFrameBoundary, String partialInput) {}

  /** What the cases of one test came to, to show the fuzzer reached what it aims at. */
  private static final class Tally {
    final Set<ErrorKind> errors = EnumSet.noneOf(ErrorKind.class);
    int cleanCases;
    int frames;

    void add(Outcome outcome) {
      frames += outcome.frames().size();
      if (outcome.error() == null) {
        cleanCases++;
      } else {
        errors.add(ErrorKind.of(outcome.error()));
      }
    }
  }

  /** One case: an input for a decoder built with these arguments, and what it must come to. */
  private record Case(byte[] input, boolean expectPreface, int maxFrameSize, Outcome expected) {
    Case(byte[] input, boolean expectPreface, int maxFrameSize) {
      this(input, expectPreface, maxFrameSize, null);
    }
  }

  // ================================================================ the fuzzers

  @Test
  void randomGarbage() {
    Tally tally = fuzz((random, i) -> {
      byte[] garbage = new byte[random.nextInt(i % 10 == 0 ? 4096 : 300)];
      random.nextBytes(garbage);
      switch (i % 3) {
        case 0:
          return new Case(garbage, true, anyMaxFrameSize(random));
        case 1:
          return new Case(garbage, false, anyMaxFrameSize(random));
        default:
          return new Case(concat(Preface.bytes(), garbage), true, anyMaxFrameSize(random));
      }
    });
    assertTrue(tally.errors.containsAll(EnumSet.of(ErrorKind.WRONG_MAGIC,
        ErrorKind.UNKNOWN_TYPE, ErrorKind.OVERSIZED)), tally.errors::toString);
  }

  /** Garbage built from headers whose fields sit on the edges of the decoder's checks. */
  @Test
  void plausibleHeaders() {
    Tally tally = fuzz((random, i) -> {
      List<byte[]> parts = new ArrayList<>();
      boolean expectPreface = random.nextBoolean();
      if (expectPreface) {
        parts.add(random.nextInt(50) == 0 ? FrameTestSupport.preface(2) : Preface.bytes());
      }
      for (int n = 1 + random.nextInt(6); n > 0; n--) {
        parts.add(random.nextInt(3) == 0
            ? encode(false, randomValidFrames(random, 1, 100))
            : plausibleFrame(random));
      }
      return new Case(concat(parts.toArray(byte[][]::new)), expectPreface,
          MAX_FRAME_SIZES[random.nextInt(3)]);
    });
    assertTrue(tally.cleanCases > 0 && tally.frames > CASES / 4, () -> "frames: " + tally.frames);
    assertEquals(EnumSet.complementOf(EnumSet.of(ErrorKind.WRONG_MAGIC)), tally.errors,
        "error kinds reached");
  }

  @Test
  void mutatedValidStreams() {
    Tally tally = fuzz((random, i) -> {
      boolean withPreface = random.nextBoolean();
      byte[] bytes = encode(withPreface, randomValidFrames(random, 1 + random.nextInt(8), 300));
      for (int n = 1 + random.nextInt(3); n > 0; n--) {
        bytes = mutate(random, bytes);
      }
      return new Case(bytes, withPreface, 1024);
    });
    assertTrue(tally.cleanCases > CASES / 10, () -> "clean cases: " + tally.cleanCases);
    assertTrue(tally.errors.size() >= 6, tally.errors::toString);
  }

  /** A valid stream cut anywhere decodes, without error, to the frames complete before the cut. */
  @Test
  void truncatedValidStreamsYieldTheFramesBeforeTheCut() {
    fuzz((random, i) -> {
      boolean withPreface = random.nextBoolean();
      List<Frame> frames = randomValidFrames(random, 1 + random.nextInt(8), 300);
      byte[] bytes = encode(withPreface, frames);
      int cut = random.nextInt(bytes.length + 1);
      Layout layout = new Layout(withPreface, frames);
      Outcome expected = new Outcome(decodedOf(frames.subList(0, layout.framesCompleteAt(cut))),
          null, layout.isBoundary(cut), layout.partialInputAt(cut));
      return new Case(Arrays.copyOf(bytes, cut), withPreface, 1024, expected);
    });
  }

  // ================================================================ running and checking cases

  /**
   * Runs {@link #CASES} cases, each made by {@code newCase} from its own seeded Random and its
   * index: decodes each input whole and in random chunks, and checks that both agree and that
   * every guarantee holds.
   */
  private static Tally fuzz(BiFunction<Random, Integer, Case> newCase) {
    Tally tally = new Tally();
    for (int i = 0; i < CASES; i++) {
      long seed = SEED + i;
      Case c = null;
      try {
        Random random = new Random(seed);
        c = newCase.apply(random, i);
        Outcome whole = run(c.input(), c.expectPreface(), c.maxFrameSize(), whole(c.input().length));
        int[] chunks = randomChunks(random, c.input().length, 1 << random.nextInt(9));
        Outcome chunked = run(c.input(), c.expectPreface(), c.maxFrameSize(), chunks);
        assertEquals(whole, chunked, "the outcome depends on the chunking");
        if (c.expected() != null) {
          assertEquals(c.expected(), whole);
        }
        assertGuarantees(c, whole);
        tally.add(whole);
      } catch (Throwable t) { // any assertion, any exception, OutOfMemoryError: all are failures
        throw new AssertionError("case " + i + " (seed " + seed + ") " + describe(c) + ": " + t, t);
      }
    }
    return tally;
  }

  /** Decodes {@code input}; any exception other than ProtocolException escapes. */
  private static Outcome run(byte[] input, boolean expectPreface, int maxFrameSize, int[] chunks) {
    FrameDecoder decoder = new FrameDecoder(maxFrameSize, expectPreface);
    List<Decoded> frames = new ArrayList<>();
    try {
      feed(decoder, input, chunks, frames);
      return new Outcome(
          frames, null, decoder.isAtFrameBoundary(), decoder.describePartialInput());
    } catch (ProtocolException e) {
      assertStaysFailed(decoder, e);
      return new Outcome(frames, e.status().getCode() + ": " + e.status().getDescription(),
          decoder.isAtFrameBoundary(), decoder.describePartialInput());
    }
  }

  private static void assertStaysFailed(FrameDecoder decoder, ProtocolException e) {
    Status status = e.status();
    assertNotNull(status);
    assertTrue(status.getCode() == Status.Code.INTERNAL
        || status.getCode() == Status.Code.UNAVAILABLE, status::toString);
    assertFalse(status.getDescription() == null || status.getDescription().isBlank());
    assertFalse(decoder.isAtFrameBoundary());
    assertEquals("nothing (decoder failed)", decoder.describePartialInput());
    assertThrows(ProtocolException.class,
        () -> decoder.decode(ByteBuffer.wrap(new byte[1]), frame -> { }));
  }

  private static void assertGuarantees(Case c, Outcome outcome) {
    for (Decoded frame : outcome.frames()) {
      assertTrue(frame.payloadLength() <= c.maxFrameSize(), () -> "over maxFrameSize: " + frame);
      assertTrue(frame.streamId() >= 0, () -> "reserved bit set: " + frame);
      assertTrue(frame.flags() >= 0 && frame.flags() <= 0xff, () -> "flags: " + frame);
      assertFalse(isConnectionLevel(frame.type()) && frame.streamId() != 0, frame::toString);
      assertFalse(isStreamLevel(frame.type()) && frame.streamId() == 0, frame::toString);
      int fixed = fixedLength(frame.type());
      assertTrue(fixed < 0 || frame.payloadLength() == fixed, frame::toString);
    }
    if (outcome.error() != null && outcome.frames().isEmpty()) {
      return; // nothing was accepted, so there is nothing to account for
    }
    if (outcome.error() == null && c.expectPreface() && c.input().length < Preface.LENGTH) {
      return; // still waiting for the preface
    }
    // Re-encoding what was accepted gives back the input it came from, byte for byte.
    byte[] accepted = encode(c.expectPreface(),
        outcome.frames().stream().map(Decoded::toFrame).toList());
    assertTrue(accepted.length <= c.input().length, "emitted more than it was given");
    assertArrayEquals(accepted, Arrays.copyOf(c.input(), accepted.length),
        "frames that are not in the input");
    if (outcome.error() == null) {
      assertEquals(outcome.atFrameBoundary(), accepted.length == c.input().length,
          outcome::partialInput);
    }
  }

  // ================================================================ making inputs

  private static int anyMaxFrameSize(Random random) {
    return MAX_FRAME_SIZES[random.nextInt(MAX_FRAME_SIZES.length)];
  }

  private static <T> T pick(Random random, T[] values) {
    return values[random.nextInt(values.length)];
  }

  /** A header with edge values, and a payload whose length may or may not match it. */
  private static byte[] plausibleFrame(Random random) {
    long length = random.nextInt(4) == 0
        ? Integer.toUnsignedLong(random.nextInt())
        : INTERESTING_LENGTHS[random.nextInt(INTERESTING_LENGTHS.length)];
    int type = INTERESTING_TYPE_CODES[random.nextInt(INTERESTING_TYPE_CODES.length)];
    int streamId = random.nextInt(4) == 0
        ? random.nextInt()
        : INTERESTING_STREAM_IDS[random.nextInt(INTERESTING_STREAM_IDS.length)];
    int payloadLength = random.nextBoolean() ? (int) Math.min(length, 200) : random.nextInt(40);
    byte[] payload = new byte[payloadLength];
    random.nextBytes(payload);
    return concat(header(length, type, random.nextInt(256), streamId), payload);
  }

  private enum Mutation { FLIP, TRUNCATE, DUPLICATE_RANGE, DELETE_RANGE, OVERWRITE_INT, INSERT }

  private static byte[] mutate(Random random, byte[] in) {
    int length = in.length;
    int from = random.nextInt(length + 1);
    int to = from + random.nextInt(length - from + 1);
    switch (pick(random, Mutation.values())) {
      case FLIP: {
        byte[] out = in.clone();
        if (length > 0) {
          out[random.nextInt(length)] ^= (byte) (1 + random.nextInt(255));
        }
        return out;
      }
      case TRUNCATE:
        return Arrays.copyOf(in, from);
      case DUPLICATE_RANGE:
        return concat(Arrays.copyOf(in, to), Arrays.copyOfRange(in, from, to),
            Arrays.copyOfRange(in, to, length));
      case DELETE_RANGE:
        return concat(Arrays.copyOf(in, from), Arrays.copyOfRange(in, to, length));
      case OVERWRITE_INT: {
        byte[] out = in.clone();
        long value = INTERESTING_LENGTHS[random.nextInt(INTERESTING_LENGTHS.length)];
        for (int i = 0; i < 4 && from + i < length; i++) {
          out[from + i] = (byte) (value >>> (24 - 8 * i));
        }
        return out;
      }
      case INSERT:
      default: {
        byte[] inserted = new byte[1 + random.nextInt(12)];
        random.nextBytes(inserted);
        return concat(Arrays.copyOf(in, from), inserted, Arrays.copyOfRange(in, from, length));
      }
    }
  }

  private static String describe(Case c) {
    if (c == null) {
      return "(no input made)";
    }
    byte[] shown = Arrays.copyOf(c.input(), Math.min(c.input().length, 256));
    return "expectPreface=" + c.expectPreface() + ", maxFrameSize=" + c.maxFrameSize()
        + ", " + c.input().length + " bytes: " + HEX.formatHex(shown)
        + (shown.length < c.input().length ? "..." : "");
  }
}
