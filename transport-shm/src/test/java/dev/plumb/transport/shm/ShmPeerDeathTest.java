package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.rpc.registry.TransportRegistry;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.testing.AcceptingListener;
import dev.plumb.rpc.spi.ConnectionHandler;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import dev.plumb.rpc.testing.ChildJvm;
import io.grpc.Status;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of either end ({@link ShmPeerMain} in a child JVM): the survivor hears UNAVAILABLE
 * within {@link #PROMPTLY_MILLIS}, whether its reader was asleep, its writer was waiting on a
 * full ring, or frames were streaming (killed after a random number of them, every frame
 * received intact and in order); its connection's threads end; and {@code /dev/shm} holds no
 * segment name of either process afterwards.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShmPeerDeathTest {
  private static final long PROMPTLY_MILLIS = 5_000;

  @TempDir
  Path sockets;
  private Process child;
  private final List<Connection> opened = new ArrayList<>();
  private AcceptingListener listening;

  @AfterEach
  void cleanUp() throws Exception {
    for (Connection connection : opened) {
      connection.close(Status.CANCELLED.withDescription("test over"));
    }
    if (listening != null) {
      listening.close();
    }
    if (child != null) {
      child.destroyForcibly().waitFor();
    }
  }

  /** Receives numbered frames, checking each; records the death. */
  private static final class CheckingHandler implements ConnectionHandler {
    final AtomicInteger received = new AtomicInteger();
    final AtomicReference<Throwable> bad = new AtomicReference<>();
    final BlockingQueue<Status> closes = new LinkedBlockingQueue<>();
    final AtomicInteger closeCount = new AtomicInteger();
    final CountDownLatch reached;
    final int target;

    CheckingHandler(int target) {
      this.target = target;
      this.reached = new CountDownLatch(target == 0 ? 0 : 1);
    }

    @Override
    public int maxFrameSize() {
      return NumberedFrames.MAX_FRAME;
    }

    @Override
    public void onSent(long bytes) {}

    @Override
    public void onReadComplete() {}

    @Override
    public void onFrame(Frame frame) {
      try {
        NumberedFrames.check(frame, received.get());
      } catch (Throwable t) {
        bad.compareAndSet(null, t);
      }
      if (received.incrementAndGet() == target) {
        reached.countDown();
      }
    }

    @Override
    public void onProtocolError(ProtocolException error) {
      bad.compareAndSet(null, error);
    }

    @Override
    public void onClosed(Status status) {
      closeCount.incrementAndGet();
      closes.add(status);
    }

    /** Waits for the death report; returns it and how long it took. */
    Status awaitDeath(long killedAtNanos) throws InterruptedException {
      Status status = closes.poll(PROMPTLY_MILLIS, TimeUnit.MILLISECONDS);
      assertNotNull(status, "the survivor heard of its peer's death not within "
          + PROMPTLY_MILLIS + " ms");
      long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - killedAtNanos);
      System.out.println("shm: peer death noticed " + micros + " µs after SIGKILL was sent");
      return status;
    }
  }

  private String address(String options) {
    return "shm://" + sockets.resolve("death.sock") + options;
  }

  private BufferedReader startChild(String role, String address, String mode) throws IOException {
    child = new ProcessBuilder(ChildJvm.command(ShmPeerMain.class, role, address, mode))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("READY", out.readLine(), "the child did not start");
    return out;
  }

  private long kill() throws InterruptedException {
    long at = System.nanoTime();
    child.destroyForcibly();  // SIGKILL on Linux.
    assertTrue(child.waitFor(PROMPTLY_MILLIS, TimeUnit.MILLISECONDS));
    assertEquals(137, child.exitValue(), "killed by signal 9");
    return at;
  }

  private Connection connectTo(String address, CheckingHandler handler) throws Exception {
    PlumbAddress parsed = TransportRegistry.getDefault().parse(address);
    PlumbTransport transport = TransportRegistry.getDefault().transportFor(parsed);
    Connection connection = transport.connect(parsed).get(10, TimeUnit.SECONDS);
    opened.add(connection);
    connection.start(handler);
    return connection;
  }

  private static void assertDiedOfPeerDeath(Status status) {
    assertEquals(Status.Code.UNAVAILABLE, status.getCode(), status.toString());
    assertTrue(status.getDescription().contains("peer closed the shm: rendezvous socket")
        || status.getDescription().contains("rendezvous socket failed"), status.toString());
  }

  private static void assertThreadsEnd() throws InterruptedException {
    ConnectionThreads.awaitNone(PROMPTLY_MILLIS);
  }

  /** Waits (bounded) until a thread of the connection named {@code role} parks in {@code where}. */
  private static void awaitParked(String role, String where) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROMPTLY_MILLIS);
    while (System.nanoTime() < deadline) {
      for (var entry : Thread.getAllStackTraces().entrySet()) {
        Thread thread = entry.getKey();
        if (thread.getName().startsWith("plumb-shm:") && thread.getName().endsWith(role)
            && thread.getState() == Thread.State.WAITING
            && Stream.of(entry.getValue()).anyMatch(f -> f.getMethodName().equals(where))) {
          return;
        }
      }
      Thread.sleep(1);  // Polling a condition with a deadline, not synchronising.
    }
    throw new AssertionError("no " + role + " thread parked in " + where);
  }

  private void assertNoSegmentNames() throws IOException {
    List<String> ours = new ArrayList<>();
    long[] pids = {ProcessHandle.current().pid(), child.pid()};
    try (Stream<Path> names = Files.list(Segment.DIRECTORY)) {
      names.map(p -> p.getFileName().toString())
          .filter(name -> Segment.pidOf(name) == pids[0] || Segment.pidOf(name) == pids[1])
          .forEach(ours::add);
    }
    assertEquals(List.of(), ours, "segment names left in /dev/shm");
  }

  @Test
  void serverKilledWhileTheClientsReaderSleeps() throws Exception {
    String address = address("");
    startChild("server", address, "idle");
    CheckingHandler handler = new CheckingHandler(0);
    connectTo(address, handler);
    awaitParked("-reader", "readerSleepsUntilRecord");
    assertDiedOfPeerDeath(handler.awaitDeath(kill()));
    assertThreadsEnd();
    assertNoSegmentNames();
    assertEquals(1, handler.closeCount.get());
  }

  @Test
  void serverKilledWhileTheClientsWriterWaitsOnAFullRing() throws Exception {
    String address = address("?ringSize=256k");
    startChild("server", address, "deaf");
    CheckingHandler handler = new CheckingHandler(0);
    Connection client = connectTo(address, handler);
    // 256 KiB rings: 100 frames of up to 6 KB overfill it, as the server never reads.
    for (int i = 0; i < 200; i++) {
      client.write(NumberedFrames.frame(i));
    }
    client.flush();
    awaitParked("-writer", "sleepUntilRoom");
    assertDiedOfPeerDeath(handler.awaitDeath(kill()));
    assertThreadsEnd();
    assertNoSegmentNames();
  }

  @Test
  void clientKilledWhileTheServersWriterWaitsOnAFullRing() throws Exception {
    listening = AcceptingListener.on(address("?ringSize=256k"));
    startChild("client", listening.listener().boundAddress().toString(), "deaf");
    Connection server = listening.nextAccepted();
    CheckingHandler handler = new CheckingHandler(0);
    server.start(handler);
    for (int i = 0; i < 200; i++) {
      server.write(NumberedFrames.frame(i));
    }
    server.flush();
    awaitParked("-writer", "sleepUntilRoom");
    assertDiedOfPeerDeath(handler.awaitDeath(kill()));
    assertThreadsEnd();
    assertNoSegmentNames();
  }

  @Test
  void serverKilledAtRandomPointsOfAStream() throws Exception {
    Random random = new Random();
    for (int round = 0; round < 3; round++) {
      int killAfter = random.nextInt(3_000);
      String idle = round == 2 ? "?idle=spin" : "";
      String address = address(idle);
      startChild("server", address, "stream");
      CheckingHandler handler = new CheckingHandler(killAfter);
      Connection client = connectTo(address, handler);
      assertTrue(handler.reached.await(PROMPTLY_MILLIS, TimeUnit.MILLISECONDS));
      assertDiedOfPeerDeath(handler.awaitDeath(kill()));
      assertNull(handler.bad.get(), "round " + round + ", killed after " + killAfter + " frames");
      assertTrue(handler.received.get() >= killAfter);
      assertThreadsEnd();
      assertNoSegmentNames();
      opened.remove(client);
      child = null;
    }
  }

  @Test
  void clientKilledAtRandomPointsOfAStream() throws Exception {
    Random random = new Random();
    listening = AcceptingListener.on(address(""));
    for (int round = 0; round < 3; round++) {
      int killAfter = random.nextInt(3_000);
      startChild("client", listening.listener().boundAddress()
          + (round == 2 ? "?idle=spin" : ""), "stream");
      Connection server = listening.nextAccepted();
      CheckingHandler handler = new CheckingHandler(killAfter);
      server.start(handler);
      assertTrue(handler.reached.await(PROMPTLY_MILLIS, TimeUnit.MILLISECONDS));
      assertDiedOfPeerDeath(handler.awaitDeath(kill()));
      assertNull(handler.bad.get(), "round " + round + ", killed after " + killAfter + " frames");
      assertThreadsEnd();
      assertNoSegmentNames();
      child = null;
    }
  }

  @Test
  void aListenerSweepsSegmentNamesOfDeadProcessesOnly() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
    Path dead = Segment.DIRECTORY.resolve(Segment.PREFIX + gone.pid() + "-sweeptest");
    Path live = Segment.DIRECTORY.resolve(Segment.PREFIX + ProcessHandle.current().pid()
        + "-sweeptest");
    Files.write(dead, new byte[16]);
    Files.write(live, new byte[16]);
    try {
      listening = AcceptingListener.on(address(""));
      assertFalse(Files.exists(dead), "the dead process's name was not swept");
      assertTrue(Files.exists(live), "a live process's name was swept");
    } finally {
      Files.deleteIfExists(dead);
      Files.deleteIfExists(live);
    }
  }
}
