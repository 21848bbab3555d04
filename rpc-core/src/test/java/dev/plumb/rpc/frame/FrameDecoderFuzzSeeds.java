package dev.plumb.rpc.frame;

import static dev.plumb.rpc.frame.FrameTestSupport.concat;
import static dev.plumb.rpc.frame.FrameTestSupport.encode;
import static dev.plumb.rpc.frame.FrameTestSupport.frame;
import static dev.plumb.rpc.frame.FrameTestSupport.header;

import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed corpus of {@link FrameDecoderGuidedFuzzTest}: a few streams that reach each part of
 * the decoder, in the target's input layout (a byte that picks the decoder, a byte that seeds
 * the split, the stream). {@code main} writes them into the directory it is given; the fuzz
 * test checks that the committed files are these.
 */
final class FrameDecoderFuzzSeeds {
  private static final int PREFACE = 1;
  private static final int MAX_16 = 0 << 1;
  private static final int MAX_2048 = 2 << 1;

  private FrameDecoderFuzzSeeds() {}

  static Map<String, byte[]> all() {
    List<Frame> everyType = List.of(
        frame(FrameType.HELLO, 0, 0, 12),
        frame(FrameType.HEADERS, 0, 1, 30),
        frame(FrameType.DATA, 0, 1, 40),
        frame(FrameType.DATA, Frame.FLAG_END_STREAM, 1, 1500),
        ControlFrames.windowUpdate(0, 4096),
        ControlFrames.ping(0, 42),
        ControlFrames.reset(3, Status.CANCELLED),
        frame(FrameType.TRAILERS, 0, 1, 20),
        ControlFrames.goAway(1, Status.UNAVAILABLE.withDescription("bye")));
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("every-type-after-preface", input(PREFACE | MAX_2048, 3, encode(true, everyType)));
    seeds.put("every-type-no-preface", input(MAX_2048, 200, encode(false, everyType)));
    byte[] cut = encode(true, everyType);
    seeds.put("cut-inside-pooled-data", input(PREFACE | MAX_2048, 9, Arrays.copyOf(cut, 200)));
    byte[] otherVersion = Preface.bytes();
    otherVersion[7] = 2;
    seeds.put("other-preface-version", input(PREFACE | MAX_2048, 1, otherVersion));
    seeds.put("over-the-maximum",
        input(MAX_16, 5, concat(header(17, FrameType.DATA.code(), 0, 1), new byte[17])));
    seeds.put("reserved-stream-bit",
        input(MAX_16, 5, header(0, FrameType.RESET.code(), 0, 0x8000_0001)));
    return seeds;
  }

  private static byte[] input(int decoder, int split, byte[] stream) {
    return concat(new byte[] {(byte) decoder, (byte) split}, stream);
  }

  /** Writes the seeds into {@code args[0]}, the target's inputs directory. */
  public static void main(String[] args) throws IOException {
    Path directory = Files.createDirectories(Path.of(args[0]));
    for (Map.Entry<String, byte[]> seed : all().entrySet()) {
      Files.write(directory.resolve(seed.getKey()), seed.getValue());
    }
  }
}
