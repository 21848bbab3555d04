package dev.plumb.transport.shm;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * The consuming side of the cross-process ring stress:
 * {@code RingStressMain FILE CAPACITY RECORDS SEED}. Maps the file, prints {@code MAPPED},
 * checks every record, prints {@code OK n} (exit 0) or {@code FAIL why} (exit 1).
 */
public final class RingStressMain {
  private RingStressMain() {}

  public static void main(String[] args) throws Exception {
    int capacity = Integer.parseInt(args[1]);
    int records = Integer.parseInt(args[2]);
    long seed = Long.parseLong(args[3]);
    MappedByteBuffer mapped;
    try (FileChannel file = FileChannel.open(Paths.get(args[0]),
        StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      mapped = file.map(FileChannel.MapMode.READ_WRITE, 0, RingDescriptor.ringLength(capacity));
    }
    System.out.println("MAPPED");
    System.out.flush();
    RingStress.Consumer consumer = new RingStress.Consumer(new SpscRing(mapped, capacity),
        records, seed);
    consumer.run();
    if (consumer.failure() != null) {
      System.out.println("FAIL " + consumer.failure());
      System.exit(1);
    }
    System.out.println("OK " + consumer.received());
  }
}
