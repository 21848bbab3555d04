package dev.plumb.rpc.frame;

import static dev.plumb.rpc.frame.FrameCodec.HEADER_LENGTH;
import static dev.plumb.rpc.frame.FrameTestSupport.encode;
import static dev.plumb.rpc.frame.FrameTestSupport.fixedLength;
import static dev.plumb.rpc.frame.FrameTestSupport.isConnectionLevel;
import static dev.plumb.rpc.frame.FrameTestSupport.isStreamLevel;
import static dev.plumb.rpc.frame.FrameTestSupport.randomChunks;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.plumb.rpc.frame.FrameTestSupport.Decoded;
import dev.plumb.rpc.testing.FuzzSeeds;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of {@link FrameDecoder}, the preface check included (Jazzer; see
 * docs/ARCHITECTURE.md, section 8, for the long run). Byte 0 of the input picks the decoder
 * (bit 0: it expects a preface; bits 1-2: its maximum frame size), byte 1 seeds how the rest,
 * the byte stream, is split into {@code decode} calls. The stream is decoded whole and split,
 * each with a pool of its own, and the decoder must keep its promises:
 *
 * <ul>
 *   <li>it throws nothing but {@link ProtocolException}, with a status a peer may see (printable,
 *       UNAVAILABLE for a wrong preface only, INTERNAL otherwise), and stays failed after it;
 *   <li>it holds no more than one incomplete frame (or the preface), and allocates no more than
 *       the maximum frame size for it: the bytes it consumed but did not emit are exactly those
 *       its {@code describePartialInput} names;
 *   <li>what it emits re-encodes to the input it came from, byte for byte, whatever the split,
 *       and each frame passes the checks a header allows;
 *   <li>DATA payloads in the pool's size range lie in arrays lent by its pool, one array per
 *       frame, and all of them are back in the pool once the frames are released.
 * </ul>
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FrameDecoderGuidedFuzzTest {
  private static final int[] MAX_FRAME_SIZES = {16, 1024, 2048, 65_536};

  /** Lends the DATA payloads; one per test instance, as one is shared by a JVM's decoders. */
  private final PayloadPool pool = TestPools.newPool();

  /** What one decoding of the stream came to. */
  private record Outcome(List<Decoded> frames, String error) {}

  @Test
  void theCommittedSeedsAreTheOnesWritten() {
    FuzzSeeds.assertCommitted(getClass(), "decodesOrRefusesWithinItsPromises",
        FrameDecoderFuzzSeeds.all());
  }

  @FuzzTest(maxDuration = "10m")
  void decodesOrRefusesWithinItsPromises(byte[] input) {
    if (input.length < 2) {
      return;
    }
    boolean expectPreface = (input[0] & 1) != 0;
    int maxFrameSize = MAX_FRAME_SIZES[(input[0] >> 1) & 3];
    Random split = new Random(input[1]);
    byte[] stream = Arrays.copyOfRange(input, 2, input.length);

    Outcome whole = decode(stream, expectPreface, maxFrameSize, new int[] {stream.length});
    Outcome chunked = decode(stream, expectPreface, maxFrameSize,
        randomChunks(split, stream.length, 1 << split.nextInt(8)));
    assertEquals(whole, chunked, "the outcome depends on how the input was split");
  }

  /** Decodes {@code stream} in calls of {@code chunks} bytes, checking every promise. */
  private Outcome decode(byte[] stream, boolean expectPreface, int maxFrameSize,
      int[] chunks) {
    int[] freeBefore = freeArraysPerClass();
    FrameDecoder decoder = new FrameDecoder(maxFrameSize, expectPreface, pool);
    List<Frame> frames = new ArrayList<>();
    String error = null;
    int consumed = 0;
    int heldPayload = 0;
    try {
      for (int size : chunks) {
        ByteBuffer chunk = ByteBuffer.wrap(stream, consumed, size);
        decoder.decode(chunk, frames::add);
        assertFalse(chunk.hasRemaining(), "decode left bytes unread");
        consumed += size;
      }
      // Checked once, at the end: the end of any shorter input is a point between two calls.
      int emitted = acceptedLength(expectPreface, consumed, frames);
      heldPayload = assertHoldsOnlyThePartialFrame(decoder, consumed - emitted,
          emitted == consumed && consumed >= (expectPreface ? Preface.LENGTH : 0), maxFrameSize);
    } catch (ProtocolException e) {
      assertRefusedProperly(decoder, e, stream, expectPreface);
      error = e.status().getCode() + ": " + e.status().getDescription();
    }
    for (Frame frame : frames) {
      assertPassesTheHeaderChecks(frame, maxFrameSize);
    }
    // Only now, with every frame still held, so that two frames sharing an array would show.
    boolean prefaceAccepted = expectPreface && stream.length >= Preface.LENGTH
        && (error == null || !error.startsWith(Status.Code.UNAVAILABLE.name()));
    byte[] reencoded = encode(prefaceAccepted,
        frames.stream().map(FrameDecoderGuidedFuzzTest::copy).toList());
    assertArrayEquals(Arrays.copyOf(stream, reencoded.length), reencoded,
        "the frames are not the input they came from");
    List<Decoded> decoded = frames.stream().map(Decoded::of).toList();
    assertPooledOncePerFrameAndAllReturned(frames, heldPayload, freeBefore);
    return new Outcome(decoded, error);
  }

  /** Bytes of the preface (once whole) and the emitted frames, at most {@code consumed}. */
  private static int acceptedLength(boolean expectPreface, int consumed, List<Frame> frames) {
    int length = expectPreface ? Math.min(consumed, Preface.LENGTH) : 0;
    for (Frame frame : frames) {
      length += HEADER_LENGTH + frame.payloadLength();
    }
    return length;
  }

  /**
   * The decoder holds {@code held} bytes, no more than one incomplete frame's, and the payload
   * it allocated for that frame is within the maximum frame size; its description of them
   * ("3 of 8 preface bytes", "4 of 10 frame header bytes", "a DATA frame with 5 of 20 payload
   * bytes") says how many it holds.
   *
   * @return the length of the DATA payload it holds part of, or 0
   */
  private static int assertHoldsOnlyThePartialFrame(FrameDecoder decoder, int held,
      boolean atBoundary, int maxFrameSize) {
    String partial = decoder.describePartialInput();
    assertEquals(atBoundary, decoder.isAtFrameBoundary(), partial);
    String[] words = partial.split(" ");
    if (partial.endsWith(" preface bytes")) {
      // The preface counts as accepted as it arrives: nothing after it yet.
      assertEquals(0, held, partial);
    } else if (partial.endsWith(" frame header bytes")) {
      assertEquals(held, Integer.parseInt(words[0]), partial);
    } else if (partial.endsWith(" payload bytes")) {
      int have = Integer.parseInt(words[4]);
      int length = Integer.parseInt(words[6]);
      assertEquals(held, HEADER_LENGTH + have, partial);
      assertTrue(have < length && length <= maxFrameSize, partial);
      return words[1].equals(FrameType.DATA.name()) ? length : 0;
    } else {
      throw new AssertionError("unexpected partial input: " + partial);
    }
    return 0;
  }

  private static void assertRefusedProperly(FrameDecoder decoder, ProtocolException e,
      byte[] stream, boolean expectPreface) {
    Status status = e.status();
    assertNotNull(status);
    String description = status.getDescription();
    assertTrue(description != null && !description.isBlank(), status::toString);
    assertTrue(description.chars().allMatch(c -> c >= 0x20 && c < 0x7f),
        () -> "not printable ASCII, unfit for a log line: " + description);
    boolean wrongPreface = expectPreface && stream.length >= Preface.LENGTH
        && !Arrays.equals(Preface.bytes(), Arrays.copyOf(stream, Preface.LENGTH));
    assertEquals(wrongPreface ? Status.Code.UNAVAILABLE : Status.Code.INTERNAL,
        status.getCode(), status::toString);
    assertFalse(decoder.isAtFrameBoundary());
    assertThrows(ProtocolException.class,
        () -> decoder.decode(ByteBuffer.wrap(new byte[1]), frame -> { }));
  }

  private static void assertPassesTheHeaderChecks(Frame frame, int maxFrameSize) {
    assertTrue(frame.payloadLength() <= maxFrameSize, frame::toString);
    assertTrue(frame.streamId() >= 0, frame::toString);
    assertFalse(isConnectionLevel(frame.type()) && frame.streamId() != 0, frame::toString);
    assertFalse(isStreamLevel(frame.type()) && frame.streamId() == 0, frame::toString);
    int fixed = fixedLength(frame.type());
    assertTrue(fixed < 0 || frame.payloadLength() == fixed, frame::toString);
  }

  /**
   * DATA payloads the pool lends are lent, each frame holding the only reference to an array
   * of its own; once every frame is released, every array is back in the pool, but the one
   * under a DATA payload of {@code heldPayload} bytes that the decoder still fills. Arrays are
   * taken from the free ones first, so a class that had {@code before} free arrays and lent
   * {@code n} at once holds {@code max(before, n)} again (less the one held), up to what the
   * class keeps.
   */
  private void assertPooledOncePerFrameAndAllReturned(List<Frame> frames, int heldPayload,
      int[] freeBefore) {
    Set<byte[]> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
    int[] lent = new int[freeBefore.length];
    for (Frame frame : frames) {
      PooledBytes pooled = frame.pooledBytes();
      boolean lendable = frame.type() == FrameType.DATA
          && frame.payloadLength() >= PayloadPool.SMALLEST
          && frame.payloadLength() <= PayloadPool.LARGEST;
      if (!lendable) {
        assertNull(pooled, frame::toString);
        continue;
      }
      assertNotNull(pooled, () -> "not lent by the pool: " + frame);
      assertEquals(1, TestPools.references(pooled), frame::toString);
      assertTrue(arrays.add(pooled.array()), () -> "an array lent twice: " + frame);
      lent[sizeClass(pooled.array().length)]++;
    }
    int[] held = new int[freeBefore.length];
    if (heldPayload >= PayloadPool.SMALLEST && heldPayload <= PayloadPool.LARGEST) {
      held[sizeClass(Integer.highestOneBit(heldPayload - 1) << 1)] = 1;
    }
    frames.forEach(Frame::release);
    for (int c = 0; c < lent.length; c++) {
      if (lent[c] + held[c] > 0) {
        int size = PayloadPool.SMALLEST << c;
        int kept = Math.min(Math.max(freeBefore[c], lent[c] + held[c]) - held[c],
            Math.max(2, PayloadPool.BYTES_PER_CLASS / size));
        assertEquals(kept, TestPools.freeArrays(pool, size), "arrays of " + size + " bytes back");
      }
    }
  }

  private int[] freeArraysPerClass() {
    int[] free = new int[sizeClass(PayloadPool.LARGEST) + 1];
    for (int c = 0; c < free.length; c++) {
      free[c] = TestPools.freeArrays(pool, PayloadPool.SMALLEST << c);
    }
    return free;
  }

  private static int sizeClass(int arrayLength) {
    return Integer.numberOfTrailingZeros(arrayLength / PayloadPool.SMALLEST);
  }

  /** A frame that owns a copy of {@code frame}'s payload, for re-encoding. */
  private static Frame copy(Frame frame) {
    return Frame.of(frame.type(), frame.flags(), frame.streamId(), frame.payloadBytes());
  }
}
