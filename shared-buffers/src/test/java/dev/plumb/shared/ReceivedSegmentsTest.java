package dev.plumb.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.childjvm.JavaCommand;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A segment's descriptor handed to another process over a Unix socket ({@code SCM_RIGHTS}, as
 * the attachment path will send it): the receiver reads the sender's own pages, cannot write
 * them, and refuses a descriptor that is not a sealed memfd.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceivedSegmentsTest {
  @TempDir
  Path directory;

  @Test
  void anotherProcessReadsTheSealedSegmentInPlaceAndCannotWriteIt() throws Exception {
    int size = 8 << 20;
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i * 13 + (i >>> 16));
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    Path socketPath = directory.resolve("receiver.sock");
    try (SharedBuffer sealed = SharedBuffer.allocate(size);
        AFUNIXServerSocket server = AFUNIXServerSocket.newInstance()) {
      sealed.write(0, ByteBuffer.wrap(bytes));
      sealed.seal();
      server.bind(AFUNIXSocketAddress.of(socketPath));
      server.setSoTimeout(30_000);
      Process receiver = new ProcessBuilder(JavaCommand.of(List.of(),
          ReceiverMain.class.getName(), List.of(socketPath.toString())))
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      try (AFUNIXSocket peer = server.accept();
          BufferedReader answers = new BufferedReader(
              new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8))) {
        try (RandomAccessFile descriptor = sealed.descriptorForPeer()) {
          send(peer, descriptor.getFD(), size);
        }
        assertEquals("OPENED crc=" + crc.getValue() + " shared=true maps=true",
            answers.readLine());
        assertEquals("WRITE [Operation not permitted]", answers.readLine(),
            "the kernel refuses, by the seal, a write through a read-write reopen");

        Segment unsealed = Segment.create(16);
        try (RandomAccessFile descriptor = unsealed.reopenForPeer()) {
          send(peer, descriptor.getFD(), 16);
        } finally {
          unsealed.close();
        }
        assertEquals("REFUSED the shared buffer is not sealed (seals 0x0): its sender could"
            + " still change it", answers.readLine());

        Path plainFile = Files.write(directory.resolve("plain"), new byte[16]);
        try (RandomAccessFile descriptor = new RandomAccessFile(plainFile.toFile(), "r")) {
          send(peer, descriptor.getFD(), 16);
        }
        // A file system without seals answers EINVAL; tmpfs, "sealing not allowed".
        String notMemfd = answers.readLine();
        assertTrue(notMemfd.startsWith("REFUSED cannot read the seals of a shared buffer")
            || notMemfd.startsWith("REFUSED the shared buffer is not sealed (seals 0x1)"),
            notMemfd);

        try (RandomAccessFile descriptor = sealed.descriptorForPeer()) {
          send(peer, descriptor.getFD(), size + 1);
        }
        assertEquals("REFUSED the shared buffer is " + size + " bytes long, its reference says "
            + (size + 1), answers.readLine());
      }
      assertTrue(receiver.waitFor(30, TimeUnit.SECONDS), "the receiver ends with the socket");
      assertEquals(0, receiver.exitValue());
    }
  }

  /** One 8-byte length with one descriptor beside its first byte. */
  private static void send(AFUNIXSocket peer, FileDescriptor descriptor, long length)
      throws IOException {
    peer.setOutboundFileDescriptors(descriptor);
    OutputStream out = peer.getOutputStream();
    out.write(ByteBuffer.allocate(Long.BYTES).putLong(length).array());
    out.flush();
    peer.setOutboundFileDescriptors((FileDescriptor[]) null);
  }
}
