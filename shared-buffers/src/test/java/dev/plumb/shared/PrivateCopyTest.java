package dev.plumb.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PrivateCopyTest {
  @Test
  void chunksInOrderMakeASealedReadOnlyCopy() throws IOException {
    try (PrivateCopy copy = PrivateCopy.of(10)) {
      copy.append(ByteBuffer.wrap(new byte[] {0, 1, 2, 3}));
      copy.append(ByteBuffer.wrap(new byte[] {4, 5, 6, 7, 8, 9}));
      try (ReceivedSegment received = copy.finish();
          SharedBufferView view = received.open(10)) {
        assertFalse(view.isSharedMemory());
        ByteBuffer bytes = view.buffer();
        assertTrue(bytes.isReadOnly());
        for (int i = 0; i < 10; i++) {
          assertEquals(i, bytes.get());
        }
      }
    }
  }

  @Test
  void tooManyOrTooFewBytesAreRefused() throws IOException {
    try (PrivateCopy copy = PrivateCopy.of(4)) {
      copy.append(ByteBuffer.wrap(new byte[3]));
      IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
          () -> copy.append(ByteBuffer.wrap(new byte[2])));
      assertEquals("2 inline bytes where only 1 of the shared buffer's 4 are missing",
          tooMany.getMessage());
      IllegalStateException tooFew = assertThrows(IllegalStateException.class, copy::finish);
      assertEquals("1 bytes of the shared buffer are missing", tooFew.getMessage());
    }
  }
}
