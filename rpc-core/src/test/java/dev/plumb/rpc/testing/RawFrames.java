package dev.plumb.rpc.testing;

import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.proto.wire.Headers;
import dev.plumb.proto.wire.Hello;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameCodec;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.Preface;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Protocol bytes as a client writes them, for tests that talk to a server over a raw stream. */
public final class RawFrames {
  private RawFrames() {}

  /** A HELLO with every setting left to its default. */
  public static byte[] hello() {
    return hello(Hello.getDefaultInstance());
  }

  /** A HELLO with {@code settings}. */
  public static byte[] hello(Hello settings) {
    return encode(Frame.of(FrameType.HELLO, 0, 0, settings.toByteArray()));
  }

  public static byte[] encode(Frame frame) {
    ByteBuffer encoded = FrameCodec.encode(frame);
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    return bytes;
  }

  /** A frame of {@code type} with {@code payload}. */
  public static byte[] frame(FrameType type, int flags, int streamId, byte[] payload) {
    return encode(Frame.of(type, flags, streamId, payload));
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** {@code part} {@code times} times over. */
  public static byte[] repeat(byte[] part, int times) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(part.length * times);
    for (int i = 0; i < times; i++) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /**
   * A whole client connection's opening: the preface, HELLO, and stream 1 calling the
   * conformance service's ServerStream with {@code request}, half-closed.
   */
  public static byte[] serverStreamCall(EchoRequest request) {
    return concat(Preface.bytes(), hello(),
        call(1, ConformanceGrpc.getServerStreamMethod().getFullMethodName(), request,
            Headers.newBuilder()));
  }

  /**
   * Stream {@code streamId} calling {@code method} with {@code request}, half-closed: its
   * HEADERS (with the metadata already in {@code headers}) and one DATA frame.
   */
  public static byte[] call(int streamId, String method, EchoRequest request,
      Headers.Builder headers) {
    return concat(headers(streamId, method, headers),
        message(streamId, Frame.FLAG_END_STREAM, request));
  }

  /** The HEADERS that open stream {@code streamId} calling {@code method}, with {@code headers}. */
  public static byte[] headers(int streamId, String method, Headers.Builder headers) {
    byte[] payload = headers.setMethod(method).setAuthority("localhost").build().toByteArray();
    return frame(FrameType.HEADERS, 0, streamId, payload);
  }

  /** A DATA frame of stream {@code streamId} holding {@code request} as one gRPC message. */
  public static byte[] message(int streamId, int flags, EchoRequest request) {
    byte[] message = request.toByteArray();
    // gRPC's message framing: a compression flag, then the length, big-endian.
    ByteBuffer data = ByteBuffer.allocate(5 + message.length);
    data.put((byte) 0).putInt(message.length).put(message).flip();
    return encode(Frame.of(FrameType.DATA, flags, streamId, data));
  }
}
