package dev.plumb.benchmarks.link;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.spi.Connection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Does {@code shm:}'s flush, which copies frames into the ring on the caller's thread, help
 * latency, against handing every flush to another thread as a writer thread would be handed
 * it? A 64-byte DATA frame goes from client to server over {@code shm:} (link level, one JVM,
 * the same transport code as across processes), the server's handler echoes it from its reader
 * thread, and the calling thread parks until the echo arrives. In the second variant both ends
 * hand each flush to a flushing thread of their own (unpark, then that thread calls
 * {@code flush}): the wake-up and the copy on another thread that a writer thread costs. Both
 * variants run in alternating rounds with the same idle strategy. Prints median and 99th
 * percentile per round. Run (from the repository root):
 *
 * <pre>
 * mvn -B -q -DskipTests -pl benchmarks -am package
 * java -cp benchmarks/target/benchmarks.jar dev.plumb.benchmarks.link.ShmFlushBenchmark [backoff|spin]
 * </pre>
 */
public final class ShmFlushBenchmark {
  private static final int WARM_UP = 20_000;
  private static final int ROUNDS = 10;
  private static final int PER_ROUND = 5_000;

  private ShmFlushBenchmark() {}

  public static void main(String[] args) throws Exception {
    String idle = args.length > 0 ? args[0] : "backoff";
    Path dir = Files.createTempDirectory("shm-flush");
    try (EchoLink inline = EchoLink.open(dir.resolve("inline.sock"), idle, false);
        EchoLink handedOver = EchoLink.open(dir.resolve("writer.sock"), idle, true)) {
      inline.run(WARM_UP);
      handedOver.run(WARM_UP);
      for (int round = 0; round < ROUNDS; round++) {
        long[] a = inline.run(PER_ROUND);
        long[] b = handedOver.run(PER_ROUND);
        System.out.printf("round %d, idle=%s: flush on the caller's thread p50 %.1f µs p99 %.1f"
            + " µs; flush by another thread p50 %.1f µs p99 %.1f µs%n", round, idle,
            a[a.length / 2] / 1e3, a[a.length * 99 / 100] / 1e3,
            b[b.length / 2] / 1e3, b[b.length * 99 / 100] / 1e3);
      }
    }
    System.exit(0);
  }

  /** An shm: link whose server echoes every frame. */
  private static final class EchoLink implements AutoCloseable {
    private final LinkPair link;
    private final Runnable clientFlush;
    private volatile Thread waiter;
    private volatile int echoes;

    private EchoLink(LinkPair link, boolean handOver) {
      this.link = link;
      this.clientFlush = flushing(link.client, handOver);
      Runnable serverFlush = flushing(link.server, handOver);
      link.server.start(new FrameCallback(frame -> {
        link.server.write(frame);
        serverFlush.run();
      }));
      link.client.start(new FrameCallback(frame -> {
        echoes++;  // Only the client's reader thread writes it.
        LockSupport.unpark(waiter);
      }));
    }

    static EchoLink open(Path socket, String idle, boolean handOver) throws Exception {
      return new EchoLink(LinkPair.open("shm://" + socket + "?idle=" + idle), handOver);
    }

    long[] run(int count) {
      waiter = Thread.currentThread();
      long[] nanos = new long[count];
      for (int i = 0; i < count; i++) {
        int before = echoes;
        long start = System.nanoTime();
        link.client.write(Frame.of(FrameType.DATA, 0, 1, new byte[64]));
        clientFlush.run();
        while (echoes == before) {
          LockSupport.park(this);
        }
        nanos[i] = System.nanoTime() - start;
      }
      Arrays.sort(nanos);
      return nanos;
    }

    @Override
    public void close() {
      link.close();
    }
  }

  /**
   * How one end flushes: {@code connection.flush()} on the calling thread, or, handed over, an
   * unpark of a daemon thread that then calls it. An unpark before that thread parks leaves a
   * permit, so no flush is lost; one flush sends everything queued before it.
   */
  private static Runnable flushing(Connection connection, boolean handOver) {
    if (!handOver) {
      return connection::flush;
    }
    Thread flusher = new Thread(() -> {
      while (true) {
        LockSupport.park();
        connection.flush();
      }
    }, "bench-flusher");
    flusher.setDaemon(true);
    flusher.start();
    return () -> LockSupport.unpark(flusher);
  }
}
