package dev.plumb.transport.pipe;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameCodec;
import dev.plumb.rpc.frame.FrameDecoder;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.Preface;
import dev.plumb.rpc.testing.RawFrames;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A pipe: child that writes garbage to its stdout and then neither exits nor reads, so that its
 * parent must stop it: {@code GarbageChildMain junk} writes text where the preface belongs;
 * {@code GarbageChildMain bad-frame} writes a valid preface and HELLO, waits for the parent's
 * first call, then writes a frame header announcing 2^31-1 bytes.
 */
public final class GarbageChildMain {
  public static final String JUNK = "junk";
  public static final String BAD_FRAME = "bad-frame";

  private GarbageChildMain() {}

  public static void main(String[] args) throws Exception {
    OutputStream out = System.out;
    if (args[0].equals(BAD_FRAME)) {
      out.write(RawFrames.concat(Preface.bytes(), RawFrames.hello()));
      out.flush();
      awaitHeaders(System.in);
      ByteBuffer header = ByteBuffer.allocate(FrameCodec.HEADER_LENGTH);
      header.putInt(Integer.MAX_VALUE).put((byte) FrameType.DATA.code()).put((byte) 0).putInt(1);
      out.write(header.array());
    } else {
      out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.flush();
    // Deaf and immortal, short of a signal: the end of stdin is not taken as a cue to exit.
    while (true) {
      LockSupport.park();
    }
  }

  /** Reads the parent's bytes until its first HEADERS frame, so that a call is in flight. */
  private static void awaitHeaders(InputStream in) throws Exception {
    FrameDecoder decoder = new FrameDecoder(FrameCodec.MAX_FRAME_SIZE_LIMIT, true);
    List<Frame> frames = new ArrayList<>();
    byte[] buffer = new byte[4096];
    while (frames.stream().noneMatch(f -> f.type() == FrameType.HEADERS)) {
      int n = in.read(buffer);
      if (n < 0) {
        return;
      }
      decoder.decode(ByteBuffer.wrap(buffer, 0, n), frames::add);
    }
  }
}
