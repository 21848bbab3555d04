package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ring between two JVMs over a mapped file that is unlinked as soon as both have mapped
 * it: a million records of random sizes, every byte and every record boundary checked by the
 * consumer process, through wrap-around and full rings.
 */
@Timeout(90)
class CrossProcessRingTest {
  private static final int CAPACITY = 64 * 1024;
  private static final int RECORDS = 1_000_000;

  @Test
  void aMillionRecordsCrossProcessesIntact() throws Exception {
    Path dir = Files.isDirectory(Paths.get("/dev/shm")) ? Paths.get("/dev/shm")
        : Paths.get(System.getProperty("java.io.tmpdir"));
    Path file = dir.resolve("plumb-ring-test-" + UUID.randomUUID());
    MappedByteBuffer mapped;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, RingDescriptor.ringLength(CAPACITY));
    }
    Process consumer = new ProcessBuilder(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
        "-cp", System.getProperty("java.class.path"), RingStressMain.class.getName(),
        file.toString(), Integer.toString(CAPACITY), Integer.toString(RECORDS), "42"))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(consumer.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("MAPPED", out.readLine());
      // Both sides have it mapped: the name can go, the memory stays until both unmap.
      Files.delete(file);
      RingStress.produce(new SpscRing(mapped, CAPACITY), RECORDS, 42);
      assertEquals("OK " + RECORDS, out.readLine());
      assertTrue(consumer.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, consumer.exitValue());
    } finally {
      consumer.destroyForcibly();
      Files.deleteIfExists(file);
    }
    assertFalse(Files.exists(file));
  }
}
