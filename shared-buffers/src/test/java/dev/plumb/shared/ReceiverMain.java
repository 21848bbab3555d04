package dev.plumb.shared;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The receiving process of {@link ReceivedSegmentsTest}: connects to the Unix socket its
 * argument names and, for each 8-byte length that arrives with one descriptor, opens the
 * segment ({@link ReceivedSegments#open}) and answers one line on stdout: {@code OPENED} with
 * the bytes' CRC32C, whether they are shared memory and whether {@code /proc/self/maps} shows
 * the memfd, then {@code WRITE} with what the kernel said to a write through each of its memfd
 * descriptors reopened read-write; or {@code REFUSED} with the reason. Ends when the socket
 * does.
 */
public final class ReceiverMain {
  private ReceiverMain() {}

  public static void main(String[] args) throws IOException {
    List<SharedBufferView> views = new ArrayList<>();  // Held open: the writes must see them.
    try (AFUNIXSocket socket = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(Paths.get(args[0])))) {
      socket.setAncillaryReceiveBufferSize(1024);
      InputStream in = socket.getInputStream();
      while (true) {
        byte[] lengthBytes = in.readNBytes(Long.BYTES);
        if (lengthBytes.length < Long.BYTES) {
          return;
        }
        FileDescriptor[] received = socket.getReceivedFileDescriptors();
        if (received == null || received.length != 1) {
          System.out.println("REFUSED expected one descriptor, got "
              + (received == null ? 0 : received.length));
          continue;
        }
        try {
          long length = ByteBuffer.wrap(lengthBytes).getLong();
          SharedBufferView view;
          try (ReceivedSegment segment = ReceivedSegments.open(received[0], length)) {
            view = segment.open(length);
          }
          views.add(view);
          CRC32C crc = new CRC32C();
          crc.update(view.buffer());
          System.out.println("OPENED crc=" + crc.getValue() + " shared=" + view.isSharedMemory()
              + " maps=" + Files.readString(Paths.get("/proc/self/maps"))
                  .contains("/memfd:" + Memfd.NAME));
          System.out.println("WRITE " + writeThroughOwnMemfds());
        } catch (IOException e) {
          System.out.println("REFUSED " + e.getMessage());
        }
      }
    }
  }

  /** What each write through a read-write reopen of a memfd descriptor of this process got. */
  private static List<String> writeThroughOwnMemfds() throws IOException {
    List<String> outcomes = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Paths.get("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
          continue;  // The listing's own descriptor, closed by now.
        }
        if (target.startsWith("/memfd:" + Memfd.NAME)) {
          try (RandomAccessFile file = new RandomAccessFile(fd.toFile(), "rw");
              FileChannel channel = file.getChannel()) {
            channel.write(ByteBuffer.wrap(new byte[] {1}), 0);
            outcomes.add("written");
          } catch (IOException e) {
            outcomes.add(e.getMessage());
          }
        }
      }
    }
    return outcomes;
  }
}
