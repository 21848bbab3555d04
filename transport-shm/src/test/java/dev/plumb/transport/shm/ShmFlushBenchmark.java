package dev.plumb.transport.shm;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.rpc.registry.TransportRegistry;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.ConnectionHandler;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Run by hand, not a test: does {@link ShmConnection#flush} copying frames into the ring on the
 * caller's thread help latency, against handing every flush to the writer thread? A 64-byte
 * DATA frame goes from client to server over shm: (link level, one JVM, the same transport
 * code as across processes), the server's handler echoes it from its reader thread, and the
 * calling thread parks until the echo arrives. Both variants run in alternating rounds with the
 * same idle strategy. Prints median and 99th percentile per round.
 *
 * <pre>
 *   mvn -q -o -pl transport-shm -am test-compile dependency:build-classpath \
 *       -Dmdep.outputFile=target/test-classpath.txt
 *   java -cp "$(cat transport-shm/target/test-classpath.txt):transport-shm/target/classes:transport-shm/target/test-classes" \
 *       dev.plumb.transport.shm.ShmFlushBenchmark [backoff|spin]
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
    Pair inline = Pair.open(dir.resolve("inline.sock"), idle, true);
    Pair handedOver = Pair.open(dir.resolve("writer.sock"), idle, false);
    inline.run(WARM_UP);
    handedOver.run(WARM_UP);
    for (int round = 0; round < ROUNDS; round++) {
      long[] a = inline.run(PER_ROUND);
      long[] b = handedOver.run(PER_ROUND);
      System.out.printf("round %d, idle=%s: flush on the caller's thread p50 %.1f µs p99 %.1f µs;"
          + " flush by the writer thread p50 %.1f µs p99 %.1f µs%n", round, idle,
          a[a.length / 2] / 1e3, a[a.length * 99 / 100] / 1e3,
          b[b.length / 2] / 1e3, b[b.length * 99 / 100] / 1e3);
    }
    inline.close();
    handedOver.close();
  }

  private static final class Pair {
    final Listener listener;
    final Connection client;
    final Connection server;
    volatile Thread waiter;
    volatile int echoes;

    private Pair(Listener listener, Connection client, Connection server) {
      this.listener = listener;
      this.client = client;
      this.server = server;
    }

    static Pair open(Path socket, String idle, boolean flushOnCaller) throws Exception {
      ShmConnection.flushOnCallerForBenchmark = flushOnCaller;
      PlumbAddress address = TransportRegistry.getDefault()
          .parse("shm://" + socket + "?idle=" + idle);
      PlumbTransport transport = TransportRegistry.getDefault().transportFor(address);
      BlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
      Listener listener = transport.listen(address, accepted::add);
      Connection client = transport.connect(listener.boundAddress()).get(10, TimeUnit.SECONDS);
      Connection server = accepted.poll(10, TimeUnit.SECONDS);
      ShmConnection.flushOnCallerForBenchmark = true;
      Pair pair = new Pair(listener, client, server);
      server.start(handler(frame -> {
        server.write(frame);
        server.flush();
      }));
      client.start(handler(frame -> {
        pair.echoes++;
        LockSupport.unpark(pair.waiter);
      }));
      return pair;
    }

    long[] run(int count) {
      waiter = Thread.currentThread();
      long[] nanos = new long[count];
      for (int i = 0; i < count; i++) {
        int before = echoes;
        long start = System.nanoTime();
        client.write(Frame.of(FrameType.DATA, 0, 1, new byte[64]));
        client.flush();
        while (echoes == before) {
          LockSupport.park(this);
        }
        nanos[i] = System.nanoTime() - start;
      }
      Arrays.sort(nanos);
      return nanos;
    }

    void close() {
      client.close(Status.CANCELLED);
      server.close(Status.CANCELLED);
      listener.close();
    }
  }

  private interface OnFrame {
    void onFrame(Frame frame);
  }

  private static ConnectionHandler handler(OnFrame onFrame) {
    return new ConnectionHandler() {
      @Override
      public int maxFrameSize() {
        return 64 * 1024;
      }

      @Override
      public void onFrame(Frame frame) {
        onFrame.onFrame(frame);
      }

      @Override
      public void onProtocolError(ProtocolException error) {
        throw new AssertionError(error);
      }

      @Override
      public void onClosed(Status status) {
      }
    };
  }
}
