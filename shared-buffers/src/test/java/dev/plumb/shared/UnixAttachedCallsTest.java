package dev.plumb.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.shared.testing.MakeRequest;
import dev.plumb.shared.testing.Upload;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Shared buffers over {@code unix:}, which passes descriptors: the receiver maps the sender's
 * own pages ({@code SCM_RIGHTS} beside the ATTACH frame), both ways, and cannot write them.
 */
class UnixAttachedCallsTest extends AbstractAttachedCallsTest {
  @Override
  protected String listenAddress(Path directory) {
    return "unix://" + directory.resolve("s.sock");
  }

  @Override
  protected boolean passesDescriptors() {
    return true;
  }

  /**
   * A response's buffer arrives as the server's own segment: mapped here as
   * {@code memfd:plumb-shared}, sealed, and every write through a descriptor of it refused by
   * the kernel.
   */
  @Test
  void theClientMapsTheServersPagesAndCannotWriteThem() throws Exception {
    Map<String, Path> before = OpenDescriptors.own();
    long size = (2L << 20) + 3;
    Upload made = stub().make(MakeRequest.newBuilder().setSize(size).setSeed(21).build());
    try (SharedBufferView view = SharedBuffers.open(made.getData())) {
      assertTrue(view.isSharedMemory());
      assertEquals(SharedServerMain.checksumOf(size, 21),
          SharedServerMain.crcOf(view, new CRC32C()));
      assertTrue(Files.readString(Paths.get("/proc/self/maps")).contains("/memfd:" + Memfd.NAME));
      Map<String, Path> received =
          OpenDescriptors.memfds(OpenDescriptors.since(before, OpenDescriptors.own()));
      assertFalse(received.isEmpty(), "no descriptor of the received segment");
      for (Path descriptor : received.values()) {
        try (RandomAccessFile file = new RandomAccessFile(descriptor.toFile(), "rw");
            FileChannel writable = file.getChannel()) {
          IOException refused = assertThrows(IOException.class,
              () -> writable.write(ByteBuffer.wrap(new byte[] {1}), 0));
          assertEquals("Operation not permitted", refused.getMessage());
        }
      }
    }
  }
}
