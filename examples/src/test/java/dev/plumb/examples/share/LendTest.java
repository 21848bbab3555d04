package dev.plumb.examples.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.testing.Cleanup;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The share example's shared mode across processes: this JVM is the producer ({@link
 * ShareService} on a real socket), and each consumer is a {@link ShareConsumer} JVM of its own
 * that borrows the one buffer ({@code Lend}) and sums its half in place. Over {@code unix:} the
 * consumers map the producer's own pages; over {@code shm:} and {@code tcp:} they read private
 * copies that came inline: the checksums must be right either way.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LendTest {
  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration TRANSFER = Duration.ofSeconds(90);
  /** The last chunk is short, and consumer 0 has one chunk more than consumer 1. */
  private static final DataSet DATA = new DataSet(77, (6L << 20) + 1000, 64 * 1024);

  @TempDir
  Path directory;
  private final Cleanup cleanup = new Cleanup();
  private final AtomicInteger makings = new AtomicInteger();
  private LatestDataSet latest;

  @AfterEach
  void stop() throws Exception {
    try {
      cleanup.close();
    } finally {
      if (latest != null) {
        latest.close();
      }
    }
  }

  /** Serves the share example on {@code transport}, counting makings; returns its address. */
  private String serve(String transport, ShareService.Progress progress) throws Exception {
    String listen = switch (transport) {
      case "tcp" -> "tcp://127.0.0.1:0";
      default -> transport + "://" + directory.resolve("share.sock");
    };
    latest = new LatestDataSet(progress);
    Server server = cleanup.add(PlumbServerBuilder.forAddress(listen)
        .addService(new ShareService(progress, latest)).build().start());
    return server.getListenSockets().get(0).toString();
  }

  /** Counts the makings of {@link #DATA}; the consumers' warm-up calls name a smaller set. */
  private ShareService.Progress counting() {
    return new ShareService.Progress() {
      @Override
      public void made(DataSet data, long nanos) {
        if (data.equals(DATA)) {
          makings.incrementAndGet();
        }
      }
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"unix", "shm", "tcp"})
  void twoConsumerProcessesSumTheirHalvesOfOneBufferRight(String transport) throws Exception {
    String target = serve(transport, counting());
    List<ConsumerReport> reports = borrowTogether(target);
    long bytes = 0;
    for (ConsumerReport report : reports) {
      assertTrue(report.right(), report.describe());
      assertEquals(DATA.checksumOf(report.consumer(), 2), report.checksum());
      assertEquals(DATA.bytesOf(report.consumer(), 2), report.bytes());
      assertEquals(DATA.chunksOf(report.consumer(), 2), report.chunks());
      bytes += report.bytes();
    }
    assertEquals(DATA.sizeBytes(), bytes);
    assertEquals(49, DATA.chunksOf(0, 2));
    assertEquals(48, DATA.chunksOf(1, 2));
    assertEquals(1, makings.get(), "the data set was made more than once");
  }

  /**
   * The first call's making of the data set waits until the second call has found it being
   * made: both then take the one buffer, made once. A producer that made it for each call
   * would never say the second waits, and make twice. (The consumers' warm-up calls, before
   * READY, name a smaller data set: the hooks pass it by.)
   */
  @Test
  void twoConsumersAskingAtOnceWaitForOneMaking() throws Exception {
    CountDownLatch secondWaits = new CountDownLatch(1);
    AtomicInteger waits = new AtomicInteger();
    String target = serve("unix", new ShareService.Progress() {
      @Override
      public void making(DataSet data) {
        if (!data.equals(DATA)) {
          return;
        }
        try {
          secondWaits.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }

      @Override
      public void waiting(DataSet data) {
        if (data.equals(DATA)) {
          waits.incrementAndGet();
          secondWaits.countDown();
        }
      }

      @Override
      public void made(DataSet data, long nanos) {
        if (data.equals(DATA)) {
          makings.incrementAndGet();
        }
      }
    });
    for (ConsumerReport report : borrowTogether(target)) {
      assertTrue(report.right(), report.describe());
    }
    assertEquals(1, waits.get(), "calls that waited for the other's making");
    assertEquals(1, makings.get(), "makings of the data set");
  }

  @Test
  void anInvalidRequestIsInvalidArgumentAndMakesNothing() throws Exception {
    String target = serve("unix", counting());
    ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget(target).build());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> LoanReceiver.take(channel, DATA, 2, 2, TRANSFER));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals("consumer must be 0..1, not 2", e.getStatus().getDescription());

    DataSet tooLarge = new DataSet(1, DataSet.MAX_LENT_BYTES + 1, 64 * 1024);
    e = assertThrows(StatusRuntimeException.class, () -> ShareGrpc.newBlockingStub(channel)
        .prepare(tooLarge.request(0, 2)));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals("size_bytes must be at most 1073741824 to lend, not 1073741825",
        e.getStatus().getDescription());
    assertEquals(0, makings.get());
  }

  /** Starts both consumers, lets them go together, and returns their reports in order. */
  private static List<ConsumerReport> borrowTogether(String target) throws Exception {
    List<ConsumerProcess> consumers = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        consumers.add(ConsumerProcess.start(target, i, DATA, true));
      }
      for (ConsumerProcess consumer : consumers) {
        assertEquals(ShareConsumer.READY, consumer.nextLine(START));
      }
      for (ConsumerProcess consumer : consumers) {
        consumer.go();
      }
      List<ConsumerReport> reports = new ArrayList<>();
      for (int i = 0; i < consumers.size(); i++) {
        ConsumerReport report = ConsumerReport.parse(consumers.get(i).nextLine(TRANSFER));
        assertEquals(i, report.consumer());
        assertEquals(0, consumers.get(i).awaitExit(START), report.describe());
        reports.add(report);
      }
      return reports;
    } finally {
      for (ConsumerProcess consumer : consumers) {
        consumer.close();
      }
    }
  }
}
