package dev.plumb.benchmarks.server;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The raw mechanism with no RPC: an echo server over a medium. Usage:
 *
 * <pre>
 *   RawEchoMain tcp HOST     a TCP listener on HOST, a free port (prints READY host:port)
 *   RawEchoMain tcp-poll HOST  the same, its connections non-blocking and busy-polled
 *   RawEchoMain uds PATH     a Unix domain socket, JDK 16+ SocketChannel (prints READY PATH)
 *   RawEchoMain uds-poll PATH  the same, its connections non-blocking and busy-polled
 *   RawEchoMain pipe         echoes on its own stdin and stdout, grown as pipe: grows its
 *                            pipes (prints nothing)
 *   RawEchoMain shm FILE     maps the file the client made, unlinks it, echoes over the two
 *                            shared-memory rings in it (prints READY FILE); see SharedMemoryLink
 * </pre>
 *
 * <p>The protocol, {@link #echo}: the client sends messages as a 4-byte big-endian length and
 * that many bytes; the server reads each message whole and writes its bytes back with one
 * write call. A length of {@link #SINK} starts one large transfer instead: an 8-byte count
 * follows, then that many bytes, which the server reads and drops before it writes the count
 * back (8 bytes). Both sides block in reads, as Plumb's and Netty's I/O threads do when idle, so
 * the comparison uses one wait strategy; {@code tcp-poll} busy-polls instead, the limit of a
 * latency mode, and so does {@code uds-poll}; over shared memory there is no read to block in, so both sides spin, yield,
 * then sleep ({@link ByteRing}). The socket and shared-memory servers
 * exit when stdin ends; the pipe server when the pipe does.
 */
public final class RawEchoMain {
  /** The length that announces a one-way transfer rather than a message to echo. */
  public static final int SINK = -1;
  private static final int SINK_BUFFER = 1 << 20;

  private RawEchoMain() {}

  public static void main(String[] args) throws IOException {
    String kind = args.length > 0 ? args[0] : "";
    switch (kind) {
      case "pipe":
        RawPipeSize.growStdinAndStdout();
        echo(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
        System.exit(0);
        return;
      case "tcp":
      case "tcp-poll": {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(args[1], 0));
        InetSocketAddress bound = (InetSocketAddress) server.getLocalAddress();
        serve(server, args[1] + ":" + bound.getPort(), kind.equals("tcp-poll"));
        return;
      }
      case "uds":
      case "uds-poll": {
        Path path = Path.of(args[1]);
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        serve(server, path.toString(), kind.equals("uds-poll"));
        return;
      }
      case "shm": {
        SharedMemoryLink link = SharedMemoryLink.openAndUnlink(Path.of(args[1]));
        Thread worker = new Thread(() -> {
          try {
            echo(link.serverIn(), link.serverOut());
          } catch (IOException e) {
            System.err.println("raw echo: " + e);
          }
        }, "raw-echo");
        worker.setDaemon(true);
        worker.start();
        System.out.println(EchoServerMain.READY + args[1]);
        System.out.flush();
        EchoServerMain.awaitEndOfInput(System.in);
        link.close();
        System.exit(0);
        return;
      }
      default:
        System.err.println("RawEchoMain: unknown arguments " + Arrays.toString(args)
            + "\nusage: RawEchoMain tcp HOST | tcp-poll HOST | uds PATH | uds-poll PATH | pipe"
            + " | shm FILE");
        System.exit(2);
    }
  }

  /**
   * Serves each accepted connection on a thread of its own until stdin ends; if {@code poll},
   * the connections are non-blocking and their threads busy-poll ({@link ChannelStreams}).
   */
  private static void serve(ServerSocketChannel server, String address, boolean poll) {
    Thread acceptor = new Thread(() -> {
      try {
        while (true) {
          SocketChannel connection = server.accept();
          if (connection.getLocalAddress() instanceof InetSocketAddress) {
            connection.socket().setTcpNoDelay(true);
          }
          connection.configureBlocking(!poll);
          Thread worker = new Thread(() -> {
            try (connection) {
              echo(ChannelStreams.in(connection), ChannelStreams.out(connection));
            } catch (IOException e) {
              System.err.println("raw echo: " + e);
            }
          }, "raw-echo");
          worker.setDaemon(true);
          worker.start();
        }
      } catch (IOException e) {
        System.err.println("raw echo: accept failed: " + e);
      }
    }, "raw-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    System.out.println(EchoServerMain.READY + address);
    System.out.flush();
    EchoServerMain.awaitEndOfInput(System.in);
    System.exit(0);
  }

  /** Echoes length-prefixed messages from {@code rawIn} to {@code out} until end-of-file. */
  public static void echo(InputStream rawIn, OutputStream out) throws IOException {
    // Buffered input: a small message and its length arrive with one read call.
    DataInputStream in = new DataInputStream(new BufferedInputStream(rawIn, 1 << 16));
    byte[] buffer = new byte[1 << 16];
    while (true) {
      int length;
      try {
        length = in.readInt();
      } catch (EOFException end) {
        return;
      }
      if (length == SINK) {
        sink(in, out);
        continue;
      }
      if (length < 0) {
        throw new IOException("negative message length " + length);
      }
      if (length > buffer.length) {
        buffer = new byte[length];
      }
      in.readFully(buffer, 0, length);
      out.write(buffer, 0, length);
      out.flush();
    }
  }

  /** Reads the count and that many bytes, then writes the count back. */
  private static void sink(DataInputStream in, OutputStream out) throws IOException {
    long total = in.readLong();
    if (total < 0) {
      throw new IOException("negative transfer length " + total);
    }
    byte[] discard = new byte[SINK_BUFFER];
    for (long left = total; left > 0; ) {
      int n = in.read(discard, 0, (int) Math.min(discard.length, left));
      if (n < 0) {
        throw new EOFException("the transfer ended " + left + " bytes early");
      }
      left -= n;
    }
    out.write(ByteBuffer.allocate(Long.BYTES).putLong(total).array());
    out.flush();
  }
}
