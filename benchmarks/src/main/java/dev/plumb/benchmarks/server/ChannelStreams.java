package dev.plumb.benchmarks.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Streams over a {@link SocketChannel}. Unlike {@code Channels.newInputStream}, a read here does
 * not hold the channel's blocking lock, so one thread may write while another is blocked
 * reading (the raw streaming measurement does). Over a non-blocking channel the streams
 * busy-poll: a read or write that would block spins ({@link Thread#onSpinWait()}) and tries
 * again, the limit of any polling wait.
 */
public final class ChannelStreams {
  private ChannelStreams() {}

  public static InputStream in(SocketChannel channel) {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
        int n;
        while ((n = channel.read(buffer)) == 0) {
          Thread.onSpinWait();  // Only a non-blocking channel reads nothing.
        }
        return n < 0 ? -1 : n;
      }
    };
  }

  public static OutputStream out(SocketChannel channel) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
        while (buffer.hasRemaining()) {
          if (channel.write(buffer) == 0) {
            Thread.onSpinWait();  // A non-blocking channel whose send buffer is full.
          }
        }
      }
    };
  }
}
