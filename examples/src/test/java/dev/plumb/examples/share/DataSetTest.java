package dev.plumb.examples.share;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The data set: shares that are disjoint and cover it, chunks that depend on seed and index. */
class DataSetTest {
  @ParameterizedTest(name = "{0} bytes in chunks of {1}, {2} consumers")
  @CsvSource({"1048576, 65536, 2", "1000001, 65536, 2", "100, 1000, 2", "7, 1, 3",
      "300000, 100000, 2", "200000, 100000, 3"})
  void theSharesAreDisjointAndCoverEveryByte(long size, int chunk, int consumers) {
    DataSet data = new DataSet(42, size, chunk);
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    for (long i = 0; i < data.chunkCount(); i++) {
      whole.writeBytes(data.chunk(i));
    }
    assertEquals(size, whole.size());
    Set<Long> seen = new HashSet<>();
    long bytes = 0;
    for (int consumer = 0; consumer < consumers; consumer++) {
      CRC32C crc = new CRC32C();
      long chunks = 0;
      long share = 0;
      for (long i = consumer; i < data.chunkCount(); i += consumers) {
        assertTrue(seen.add(i), "chunk " + i + " is in two shares");
        byte[] bytesOfChunk = data.chunk(i);
        crc.update(bytesOfChunk);
        chunks++;
        share += bytesOfChunk.length;
      }
      assertEquals(chunks, data.chunksOf(consumer, consumers));
      assertEquals(share, data.bytesOf(consumer, consumers));
      assertEquals(crc.getValue(), data.checksumOf(consumer, consumers));
      bytes += share;
    }
    assertEquals(data.chunkCount(), seen.size());
    assertEquals(size, bytes);
  }

  @Test
  void aChunkDependsOnTheSeedAndItsIndexAlone() {
    DataSet data = new DataSet(7, 10 * 4096 + 3, 4096);
    assertArrayEquals(data.chunk(5), new DataSet(7, 10 * 4096 + 3, 4096).chunk(5));
    assertFalse(Arrays.equals(data.chunk(5), data.chunk(6)));
    assertFalse(Arrays.equals(data.chunk(5), new DataSet(8, 10 * 4096 + 3, 4096).chunk(5)));
    assertEquals(3, data.chunk(10).length);
    // The halves of 100 MiB in 256 KiB chunks are 50 MiB each.
    DataSet demo = DataSet.ofSize(DataSet.DEMO_SIZE_BYTES);
    assertEquals(50L << 20, demo.bytesOf(0, 2));
    assertEquals(50L << 20, demo.bytesOf(1, 2));
  }

  @Test
  void theWarmUpIsTheFirstTwoChunksAndALoanHoldsChunksAtTheirOffsets() {
    DataSet data = new DataSet(9, 10 * 4096 + 3, 4096);
    DataSet warmUp = data.warmUp();
    assertEquals(2 * 4096, warmUp.sizeBytes());
    assertArrayEquals(data.chunk(1), warmUp.chunk(1));
    assertEquals(4096, data.offsetOf(1));
    assertEquals(10 * 4096, data.offsetOf(10));
    DataSet small = new DataSet(9, 5000, 4096);
    assertEquals(small, small.warmUp());
  }

  @Test
  void aLoanOfMoreThanOneGibibyteIsRefused() {
    TakeRequest request = new DataSet(1, DataSet.MAX_LENT_BYTES, 1 << 20).request(0, 2);
    assertNull(DataSet.lendingProblem(request));
    assertEquals("size_bytes must be at most 1073741824 to lend, not 1073741825",
        DataSet.lendingProblem(request.toBuilder().setSizeBytes(DataSet.MAX_LENT_BYTES + 1)
            .build()));
    assertEquals("consumer must be 0..1, not 2",
        DataSet.lendingProblem(request.toBuilder().setConsumer(2).build()));
  }

  @Test
  void aBadRequestIsNamedByItsField() {
    TakeRequest good = DataSet.ofSize(1 << 20).request(1, 2);
    assertNull(DataSet.problem(good));
    assertEquals("consumer must be 0..1, not 2",
        DataSet.problem(good.toBuilder().setConsumer(2).build()));
    assertEquals("consumer must be 0..1, not -1",
        DataSet.problem(good.toBuilder().setConsumer(-1).build()));
    assertEquals("consumers must be 1..64, not 0",
        DataSet.problem(good.toBuilder().setConsumers(0).build()));
    assertEquals("size_bytes must be 1..17179869184, not 0",
        DataSet.problem(good.toBuilder().setSizeBytes(0).build()));
    assertEquals("chunk_bytes must be 1..1048576, not 1048577",
        DataSet.problem(good.toBuilder().setChunkBytes((1 << 20) + 1).build()));
  }

  @Test
  void sizesOnTheCommandLine() {
    assertEquals(100L << 20, ShareConsumer.parseSize("100m"));
    assertEquals(4096, ShareConsumer.parseSize("4K"));
    assertEquals(1L << 30, ShareConsumer.parseSize("1g"));
    assertEquals(12345, ShareConsumer.parseSize("12345"));
    assertThrows(IllegalArgumentException.class, () -> ShareConsumer.parseSize("0"));
    assertThrows(IllegalArgumentException.class, () -> ShareConsumer.parseSize("17g"));
    assertThrows(IllegalArgumentException.class, () -> ShareConsumer.parseSize("ten"));
  }

  @Test
  void aReportLineReadsBackAsWritten() {
    ConsumerReport report = new ConsumerReport(1, 4242, 200, 50L << 20, 0x0badcafeL,
        0x0badcafeL, 1_234_567, 1_700_000_000_000_000L, 1_700_000_001_234_567L, null);
    assertEquals(report, ConsumerReport.parse(report.toLine()));
    ConsumerReport wrong = new ConsumerReport(0, 1, 3, 4, 0xffffffffL, 0, 5, 6, 7,
        "chunk 2 arrived where chunk 0 was expected");
    assertEquals(wrong, ConsumerReport.parse(wrong.toLine()));
    assertFalse(wrong.right());
    assertThrows(IllegalArgumentException.class, () -> ConsumerReport.parse("READY"));
    assertThrows(IllegalArgumentException.class,
        () -> ConsumerReport.parse("RESULT consumer=0 pid=x"));
  }
}
