package dev.plumb.shared;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.shared.proto.SharedBytes;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SharedBufferTest {
  private static final String MEMFD = "/memfd:" + Memfd.NAME;

  @Test
  void bytesWrittenAndSealedReadBackInPlace() throws IOException {
    int size = 64 << 20;
    byte[] chunk = pattern(1 << 20, 7);
    CRC32C written = new CRC32C();
    try (SharedBuffer buffer = SharedBuffer.allocate(size)) {
      try (OutputStream out = buffer.outputStream()) {
        for (int i = 0; i < size / chunk.length - 1; i++) {
          out.write(chunk);
          written.update(chunk);
        }
      }
      // The last MiB by position, through a direct buffer.
      buffer.write(size - chunk.length, ByteBuffer.allocateDirect(chunk.length).put(chunk).flip());
      written.update(chunk);
      SharedBytes reference = buffer.seal();
      assertEquals(size, reference.getLength());
      assertEquals(16, reference.getToken().size());
      assertSame(reference, buffer.seal());

      try (SharedBufferView view = SharedBuffers.open(reference)) {
        ByteBuffer bytes = view.buffer();
        assertTrue(bytes.isReadOnly());
        assertTrue(view.isSharedMemory());
        assertEquals(size, bytes.remaining());
        CRC32C read = new CRC32C();
        read.update(bytes);
        assertEquals(written.getValue(), read.getValue());
        assertTrue(Files.readAllLines(Paths.get("/proc/self/maps")).stream()
            .anyMatch(line -> line.contains(MEMFD)), "a memfd mapping in /proc/self/maps");
      }
    }
  }

  @Test
  void aSealedBufferTakesNoMoreWrites() throws IOException {
    try (SharedBuffer buffer = SharedBuffer.allocate(16)) {
      buffer.seal();
      IllegalStateException refused = assertThrows(IllegalStateException.class,
          () -> buffer.write(0, new byte[1], 0, 1));
      assertTrue(refused.getMessage().contains("sealed"), refused.getMessage());
    }
  }

  /**
   * The seals hold against every descriptor of the segment, not just against the API: whoever
   * holds one (a receiver reopening it read-write through /proc, say) gets EPERM from the
   * kernel for a write, a writable mapping or a change of size.
   */
  @Test
  void theKernelRefusesWritesToASealedSegmentThroughAnyDescriptor() throws IOException {
    Map<String, Path> others = OpenDescriptors.own();
    try (SharedBuffer buffer = SharedBuffer.allocate(4096)) {
      buffer.write(0, new byte[] {1, 2, 3}, 0, 3);
      assertEquals(2, newMemfds(others).size(), "the buffer's own and its write channel");
      SharedBytes reference = buffer.seal();
      Collection<Path> sealed = newMemfds(others);
      assertEquals(1, sealed.size(), "the write channel closes with the seal: " + sealed);
      try (SharedBufferView view = SharedBuffers.open(reference)) {
        Collection<Path> descriptors = newMemfds(others);
        assertEquals(2, descriptors.size(), "the buffer's and the view's: " + descriptors);
        for (Path descriptor : descriptors) {
          try (RandomAccessFile file = new RandomAccessFile(descriptor.toFile(), "rw");
              FileChannel channel = file.getChannel()) {
            assertRefusedByTheSeal(() -> channel.write(ByteBuffer.wrap(new byte[] {9}), 0));
            assertRefusedByTheSeal(() -> channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096));
            assertRefusedByTheSeal(() -> channel.truncate(1));
          }
        }
        ByteBuffer bytes = view.buffer();
        assertEquals(1, bytes.get(0));
        assertThrows(java.nio.ReadOnlyBufferException.class, () -> bytes.put(0, (byte) 9));
      }
    }
  }

  @Test
  void aViewStaysReadableAfterItsSenderClosesAndNewOpensFail() throws IOException {
    SharedBuffer buffer = SharedBuffer.allocate(3);
    buffer.write(0, new byte[] {4, 5, 6}, 0, 3);
    SharedBytes reference = buffer.seal();
    SharedBufferView view = SharedBuffers.open(reference);
    buffer.close();
    IllegalArgumentException gone = assertThrows(IllegalArgumentException.class,
        () -> SharedBuffers.open(reference));
    assertTrue(gone.getMessage().contains("is open in this process"), gone.getMessage());
    ByteBuffer bytes = view.buffer();
    view.close();
    byte[] read = new byte[3];
    bytes.get(read);
    assertArrayEquals(new byte[] {4, 5, 6}, read, "a returned buffer outlives close");
    assertThrows(IllegalStateException.class, view::buffer);
  }

  @Test
  void windowsMapPartsOfTheBuffer() throws IOException {
    try (SharedBuffer buffer = SharedBuffer.allocate(3 * 4096)) {
      buffer.write(4096 + 10, new byte[] {42}, 0, 1);
      try (SharedBufferView view = SharedBuffers.open(buffer.seal())) {
        ByteBuffer window = view.buffer(4096, 4096);
        assertEquals(4096, window.remaining());
        assertEquals(42, window.get(10));
        assertThrows(IndexOutOfBoundsException.class, () -> view.buffer(2 * 4096, 4097));
        assertThrows(IndexOutOfBoundsException.class, () -> view.buffer(-1, 1));
      }
    }
  }

  @Test
  void writesOutsideTheBufferAndMalformedReferencesAreRefused() throws IOException {
    try (SharedBuffer buffer = SharedBuffer.allocate(8)) {
      assertThrows(IndexOutOfBoundsException.class, () -> buffer.write(5, new byte[4], 0, 4));
      assertThrows(IndexOutOfBoundsException.class, () -> buffer.write(-1, new byte[1], 0, 1));
      SharedBytes reference = buffer.seal();
      IOException wrongLength = assertThrows(IOException.class,
          () -> SharedBuffers.open(reference.toBuilder().setLength(9).build()));
      assertTrue(wrongLength.getMessage().contains("8 bytes long, its reference says 9"),
          wrongLength.getMessage());
      assertThrows(IllegalArgumentException.class, () -> SharedBuffers.open(
          reference.toBuilder().setToken(reference.getToken().substring(1)).build()));
    }
    assertThrows(IllegalArgumentException.class, () -> SharedBuffer.allocate(-1));
  }

  /** A segment its sender could still change is never handed to a reader. */
  @Test
  void anUnsealedSegmentIsRefused() throws IOException {
    Segment unsealed = Segment.create(8);
    try {
      SharedBytes reference = SharedBytes.newBuilder()
          .setToken(LocalSegments.register(unsealed)).setLength(8).build();
      IOException refused = assertThrows(IOException.class, () -> SharedBuffers.open(reference));
      assertTrue(refused.getMessage().contains("not sealed"), refused.getMessage());
      LocalSegments.unregister(reference.getToken());
    } finally {
      unsealed.close();
    }
  }

  @Test
  void manyBuffersInFlightLeaveNoDescriptorAndNoFileBehind() throws IOException {
    // One round first, so that classes it loads (and jars they open) are not counted.
    try (SharedBuffer warmUp = SharedBuffer.allocate(1)) {
      SharedBuffers.open(warmUp.seal()).close();
    }
    // By identity, not by count, and memfds only: in this JVM other tests' buffers may go
    // meanwhile (with their messages), and other descriptors come and go (jars, sockets).
    // Every descriptor this API opens is a memfd's.
    Map<String, Path> before = OpenDescriptors.own();
    List<SharedBuffer> buffers = new ArrayList<>();
    List<SharedBufferView> views = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      SharedBuffer buffer = SharedBuffer.allocate(4096);
      buffer.write(0, new byte[] {(byte) i}, 0, 1);
      buffers.add(buffer);
      views.add(SharedBuffers.open(buffer.seal()));
    }
    // Nameless: each is a memfd, none a file of /dev/shm (where others' may come and go
    // meanwhile, so the directory itself is no measure).
    assertEquals(400, newMemfds(before).size());
    assertEquals(Map.of(), OpenDescriptors.inDevShm(OpenDescriptors.own()));
    for (int i = 0; i < 200; i++) {
      assertEquals((byte) i, views.get(i).buffer().get(0));
      views.get(i).close();
      buffers.get(i).close();
    }
    assertEquals(List.of(), List.copyOf(newMemfds(before)));
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static void assertRefusedByTheSeal(IoAction action) {
    IOException refused = assertThrows(IOException.class, action::run);
    assertEquals("Operation not permitted", refused.getMessage());
  }

  /** Memfds open now that were not among {@code before}. */
  private static Collection<Path> newMemfds(Map<String, Path> before) {
    return OpenDescriptors.memfds(OpenDescriptors.since(before, OpenDescriptors.own())).values();
  }

  private static byte[] pattern(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + seed);
    }
    return bytes;
  }
}
