package dev.plumb.rpc.internal;

import dev.plumb.proto.wire.Hello;
import dev.plumb.rpc.frame.FrameCodec;
import dev.plumb.rpc.frame.ProtocolException;

/** What the peer said it accepts, from its HELLO, with zeros replaced by the defaults. */
final class PeerSettings {
  final int maxFrameSize;
  final int streamWindow;
  final int connectionWindow;
  final int maxConcurrentStreams;
  final int maxMetadataSize;
  final String agent;
  /** The peer accepts ATTACH frames. */
  final boolean attachments;

  private PeerSettings(Hello hello) {
    maxFrameSize = orDefault(hello.getMaxFrameSize(), ProtocolSettings.DEFAULT_MAX_FRAME_SIZE);
    streamWindow = orDefault(hello.getInitialStreamWindow(), ProtocolSettings.DEFAULT_STREAM_WINDOW);
    connectionWindow = orDefault(
        hello.getInitialConnectionWindow(), ProtocolSettings.DEFAULT_CONNECTION_WINDOW);
    maxConcurrentStreams = orDefault(
        hello.getMaxConcurrentStreams(), ProtocolSettings.DEFAULT_MAX_CONCURRENT_STREAMS);
    // Headers travel in one frame, so the peer can take no more metadata than one frame holds.
    maxMetadataSize = Math.min(maxFrameSize, orDefault(
        hello.getMaxMetadataSize(), ProtocolSettings.DEFAULT_MAX_METADATA_SIZE));
    agent = hello.getAgent();
    attachments = hello.getAttachments();
  }

  static PeerSettings from(Hello hello) throws ProtocolException {
    if (Integer.toUnsignedLong(hello.getMaxFrameSize()) > FrameCodec.MAX_FRAME_SIZE_LIMIT) {
      throw ProtocolException.malformed("HELLO max_frame_size " + hello.getMaxFrameSize()
          + " exceeds the protocol limit of " + FrameCodec.MAX_FRAME_SIZE_LIMIT);
    }
    // Unsigned values above Integer.MAX_VALUE would read as negative windows or limits.
    if (hello.getInitialStreamWindow() < 0 || hello.getInitialConnectionWindow() < 0
        || hello.getMaxConcurrentStreams() < 0 || hello.getMaxMetadataSize() < 0) {
      throw ProtocolException.malformed("HELLO setting above 2^31-1: " + hello);
    }
    if (hello.getMaxFrameSize() != 0 && hello.getMaxFrameSize() < 1024) {
      throw ProtocolException.malformed(
          "HELLO max_frame_size " + hello.getMaxFrameSize() + " is below the minimum of 1024");
    }
    return new PeerSettings(hello);
  }

  private static int orDefault(int value, int defaultValue) {
    return value == 0 ? defaultValue : value;
  }
}
