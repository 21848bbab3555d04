package dev.plumb.examples.share;

import dev.plumb.examples.ChannelReadiness;
import dev.plumb.examples.ExampleConfiguration;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One of the share example's two consumers:
 * {@code ShareConsumer TARGET CONSUMER [SIZE [CHUNK [SEED]]] [--shared] [--await-go]
 * [--warm-up MILLIS] [--rounds N]}, e.g.
 * {@code ShareConsumer shm:///tmp/plumb/share.sock 0 100m} against a daemon that serves
 * {@link ShareService}. Takes share {@code CONSUMER} (0 or 1) of {@code SIZE} bytes (default
 * 100 MiB; {@code k}, {@code m}, {@code g} are 1024-based) in chunks of {@code CHUNK} (default
 * 256 KiB) generated from {@code SEED} (a number; there is a default), checks every byte
 * against the checksum computed here from the same seed, and prints what it received and how
 * fast. Exits with 0 if its share was right, 1 if not, 2 if the call failed or the command line
 * is wrong.
 *
 * <p>It takes its chunks streamed ({@code Take}, {@link ShareReceiver}), or with
 * {@code --shared} from the producer's one shared buffer of the whole data set ({@code Lend},
 * {@link LoanReceiver}; at most 1 GiB), read in place.
 *
 * <p>With {@code --await-go} (what the demo's {@code ShareDemo} uses) it connects, makes small
 * calls of the same kind (the data set's first two chunks, each checked) for
 * {@code --warm-up MILLIS} (default 0: one call), prints {@code READY}, waits for a line
 * {@code GO} on stdin, so that the consumers start their calls together and after their JVMs
 * have started and warmed up, and prints its result as a {@link ConsumerReport} line. With
 * {@code --rounds N} it takes its share {@code N} times (after a {@code GO} each, with
 * {@code --await-go}) and prints each round's result.
 */
public final class ShareConsumer {
  /** The example shares the data between two consumers. */
  public static final int CONSUMERS = 2;
  public static final String READY = "READY";
  public static final String GO = "GO";
  public static final String SHARED = "--shared";
  public static final String ROUNDS = "--rounds";
  public static final String WARM_UP = "--warm-up";
  static final int EXIT_WRONG = 1;
  static final int EXIT_FAILED = 2;
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(120);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  private ShareConsumer() {}

  public static void main(String[] args) throws InterruptedException, IOException {
    List<String> words = new ArrayList<>(List.of(args));
    boolean awaitGo = words.remove("--await-go");
    boolean shared = words.remove(SHARED);
    int consumer;
    int rounds;
    Duration warmUp;
    DataSet data;
    try {
      rounds = Integer.parseInt(removeOption(words, ROUNDS, "1"));
      if (rounds < 1) {
        throw new IllegalArgumentException("N of " + ROUNDS + " must be at least 1");
      }
      warmUp = Duration.ofMillis(Long.parseLong(removeOption(words, WARM_UP, "0")));
      if (warmUp.isNegative()) {
        throw new IllegalArgumentException("MILLIS of " + WARM_UP + " must not be negative");
      }
      if (words.size() < 2 || words.size() > 5) {
        throw new IllegalArgumentException("expected TARGET CONSUMER [SIZE [CHUNK [SEED]]]"
            + " [--shared] [--await-go] [--warm-up MILLIS] [--rounds N]");
      }
      consumer = Integer.parseInt(words.get(1));
      if (consumer < 0 || consumer >= CONSUMERS) {
        throw new IllegalArgumentException("CONSUMER must be 0 or 1, not " + consumer);
      }
      long size = words.size() > 2 ? parseSize(words.get(2)) : DataSet.DEMO_SIZE_BYTES;
      long chunk = words.size() > 3 ? parseSize(words.get(3)) : DataSet.DEFAULT_CHUNK_BYTES;
      if (chunk > DataSet.MAX_CHUNK_BYTES) {
        throw new IllegalArgumentException("CHUNK must be at most 1m, not " + words.get(3));
      }
      long seed = words.size() > 4 ? Long.parseLong(words.get(4)) : DataSet.DEFAULT_SEED;
      data = new DataSet(seed, size, (int) chunk);
    } catch (IllegalArgumentException e) {
      System.err.println("ShareConsumer: " + e.getMessage());
      System.exit(EXIT_FAILED);
      return;
    }
    int exit;
    ManagedChannel channel = ExampleConfiguration.client(new String[] {words.get(0)})
        .channelBuilder().build();
    try {
      exit = run(channel, data, consumer, shared ? LoanReceiver::take : ShareReceiver::take,
          rounds, awaitGo, warmUp);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    System.exit(exit);
  }

  /** How a consumer takes a share: {@link ShareReceiver#take} or {@link LoanReceiver#take}. */
  private interface Taker {
    ShareReceiver.Received take(Channel channel, DataSet data, int consumer, int consumers,
        Duration deadline) throws InterruptedException;
  }

  /** The value after {@code option} in {@code words}, both removed, or {@code otherwise}. */
  private static String removeOption(List<String> words, String option, String otherwise) {
    int at = words.indexOf(option);
    if (at < 0 || at + 1 >= words.size()) {
      return otherwise;
    }
    String value = words.remove(at + 1);
    words.remove(at);
    return value;
  }

  /**
   * Connects and makes small calls of the same kind ({@link DataSet#warmUp}) for
   * {@code warmUp}, at least one, so that the timed calls do not pay for this JVM's first call
   * (class loading, a library's first use) nor, given long enough, run code the JIT has not
   * compiled yet; then says READY. False if a small call's share was wrong.
   */
  private static boolean warmUp(ManagedChannel channel, DataSet data, int consumer,
      Taker taker, Duration warmUp) throws InterruptedException {
    ChannelReadiness.await(channel, CONNECT_TIMEOUT);
    DataSet small = data.warmUp();
    long expected = small.checksumOf(consumer, CONSUMERS);
    long end = System.nanoTime() + warmUp.toNanos();
    do {
      ConsumerReport report = ConsumerReport.of(consumer,
          taker.take(channel, small, consumer, CONSUMERS, CALL_DEADLINE), expected);
      if (!report.right()) {
        System.err.println("ShareConsumer: a warm-up call was wrong: " + report.describe());
        return false;
      }
    } while (System.nanoTime() - end < 0);
    System.out.println(READY);
    System.out.flush();
    return true;
  }

  /** Waits for a GO line; false if stdin said anything else or ended. */
  private static boolean awaitGo(BufferedReader stdin) throws IOException {
    String line = stdin.readLine();
    if (!GO.equals(line)) {
      System.err.println("ShareConsumer: expected " + GO + " on stdin, got "
          + (line == null ? "its end" : "'" + line + "'"));
      return false;
    }
    return true;
  }

  private static int run(ManagedChannel channel, DataSet data, int consumer, Taker taker,
      int rounds, boolean forDemo, Duration warmUp) throws InterruptedException, IOException {
    BufferedReader stdin = new BufferedReader(
        new InputStreamReader(System.in, StandardCharsets.UTF_8));
    boolean right = true;
    long expected = 0;
    try {
      if (forDemo && !warmUp(channel, data, consumer, taker, warmUp)) {
        return EXIT_FAILED;
      }
      for (int round = 0; round < rounds; round++) {
        if (forDemo && !awaitGo(stdin)) {
          return EXIT_FAILED;
        }
        ShareReceiver.Received received =
            taker.take(channel, data, consumer, CONSUMERS, CALL_DEADLINE);
        if (round == 0) {
          // Computed after the call, so that the figure is the transfer's alone.
          expected = data.checksumOf(consumer, CONSUMERS);
        }
        ConsumerReport report = ConsumerReport.of(consumer, received, expected);
        System.out.println(forDemo ? report.toLine() : report.describe());
        System.out.flush();
        right &= report.right();
      }
    } catch (StatusRuntimeException e) {
      Status status = e.getStatus();
      System.err.println("ShareConsumer " + consumer + ": the call failed: " + status.getCode()
          + ": " + status.getDescription());
      return EXIT_FAILED;
    }
    return right ? 0 : EXIT_WRONG;
  }

  /** {@code 1048576}, {@code 1024k}, {@code 100m}, {@code 1g}. */
  public static long parseSize(String text) {
    String digits = text.trim().toLowerCase();
    int shift = 0;
    if (!digits.isEmpty()) {
      switch (digits.charAt(digits.length() - 1)) {
        case 'k' -> shift = 10;
        case 'm' -> shift = 20;
        case 'g' -> shift = 30;
        default -> shift = 0;
      }
    }
    if (shift > 0) {
      digits = digits.substring(0, digits.length() - 1);
    }
    long value;
    try {
      value = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("SIZE must be bytes, or a number with k, m or g, not '"
          + text + "'");
    }
    if (value < 1 || value > DataSet.MAX_SIZE_BYTES >> shift) {
      throw new IllegalArgumentException("SIZE must be 1 byte to 16g, not '" + text + "'");
    }
    return value << shift;
  }
}
