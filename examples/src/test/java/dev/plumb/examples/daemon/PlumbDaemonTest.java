package dev.plumb.examples.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.examples.ExampleJvm;
import dev.plumb.examples.calculator.CalculatorGrpc;
import dev.plumb.examples.calculator.Operands;
import dev.plumb.examples.clock.ClockGrpc;
import dev.plumb.examples.clock.Tick;
import dev.plumb.examples.clock.TicksRequest;
import dev.plumb.examples.identity.Caller;
import dev.plumb.examples.identity.IdentityGrpc;
import dev.plumb.examples.identity.WhoAmIRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon as a real process: its addresses, services, health, reflection, signals, errors. */
class PlumbDaemonTest {
  private static final Set<String> EXAMPLE_SERVICES = Set.of(
      "plumb.examples.calculator.Calculator", "plumb.examples.filter.Filter",
      "plumb.examples.clock.Clock", "plumb.examples.buffer.BoundedBuffer",
      "plumb.examples.identity.Identity", "plumb.examples.share.Share");
  private static final Set<String> ALWAYS_ON = Set.of("grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");

  @TempDir
  Path temp;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private DaemonProcess start(String... args) throws Exception {
    DaemonProcess daemon = DaemonProcess.start(temp, args);
    toClose.add(daemon);
    return daemon;
  }

  private ManagedChannel channel(String target) {
    ManagedChannel channel = PlumbChannelBuilder.forTarget(target).build();
    toClose.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return channel;
  }

  @Test
  void servesEveryDiscoveredServiceWithHealthAndReflectionOnTcpAndUnixAtOnce() throws Exception {
    Path socket = temp.resolve("daemon.sock");
    DaemonProcess daemon = start("--listen", "tcp://127.0.0.1:0",
        "--listen", "unix://" + socket);
    List<String> addresses = daemon.readyAddresses(2);
    assertTrue(addresses.get(0).matches("tcp://127\\.0\\.0\\.1:[1-9][0-9]*"), addresses.get(0));
    assertEquals("unix://" + socket, addresses.get(1));

    for (String address : addresses) {
      ManagedChannel channel = channel(address);
      assertEquals(5, CalculatorGrpc.newBlockingStub(channel)
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .add(Operands.newBuilder().setA(2).setB(3).build()).getValue(), address);
      HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS);
      assertEquals(ServingStatus.SERVING, health.check(request("")).getStatus(), address);
      for (String service : EXAMPLE_SERVICES) {
        assertEquals(ServingStatus.SERVING, health.check(request(service)).getStatus(),
            address + " " + service);
      }
      StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
          () -> health.check(request("no.such.Service")));
      assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());

      Set<String> expected = new TreeSet<>(EXAMPLE_SERVICES);
      expected.addAll(ALWAYS_ON);
      assertEquals(expected, new TreeSet<>(Reflection.listServices(channel)), address);
    }

    daemon.terminate();
    assertEquals(0, daemon.awaitExit(30), daemon.stderr());
    assertFalse(Files.exists(socket), "the socket file outlived the daemon");
    assertEquals("", daemon.remainingStdout(), "stdout has the READY lines only");
  }

  @Test
  void namedServicesAreTheOnlyOnesServed() throws Exception {
    DaemonProcess daemon = start("--listen", "tcp://127.0.0.1:0",
        "--service", "dev.plumb.examples.clock.ClockService");
    ManagedChannel channel = channel(daemon.readyAddresses(1).get(0));
    Set<String> expected = new TreeSet<>(ALWAYS_ON);
    expected.add("plumb.examples.clock.Clock");
    assertEquals(expected, new TreeSet<>(Reflection.listServices(channel)));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> CalculatorGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            .add(Operands.getDefaultInstance()));
    assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
  }

  /**
   * A stream of three ticks 400 ms apart is in flight (its first tick has arrived) when
   * SIGTERM comes: it still ends normally with all three, and the daemon exits with 0.
   */
  @Test
  void sigtermDrainsTheCallsInFlightThenExitsWithZero() throws Exception {
    DaemonProcess daemon = start("--listen", "tcp://127.0.0.1:0", "--grace", "20s");
    ManagedChannel channel = channel(daemon.readyAddresses(1).get(0));
    Iterator<Tick> ticks = ClockGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .ticks(TicksRequest.newBuilder().setCount(3).setIntervalMillis(400).build());
    assertEquals(1, ticks.next().getSequence());

    daemon.terminate();
    assertEquals(2, ticks.next().getSequence());
    assertEquals(3, ticks.next().getSequence());
    assertFalse(ticks.hasNext());
    assertEquals(0, daemon.awaitExit(30), daemon.stderr());
    String stderr = daemon.stderr();
    assertTrue(stderr.contains("draining: no new calls; calls in flight have 20000 ms"), stderr);
    assertFalse(stderr.contains("cancelling them"), stderr);
  }

  /** A call longer than the grace period is cancelled when it ends; the exit is still 0. */
  @Test
  void aCallThatOutlastsTheGracePeriodIsCancelled() throws Exception {
    DaemonProcess daemon = start("--listen", "tcp://127.0.0.1:0", "--grace", "300ms");
    ManagedChannel channel = channel(daemon.readyAddresses(1).get(0));
    Iterator<Tick> ticks = ClockGrpc.newBlockingStub(channel)
        .withDeadlineAfter(60, TimeUnit.SECONDS)
        .ticks(TicksRequest.newBuilder().setCount(1000).setIntervalMillis(1000).build());
    assertEquals(1, ticks.next().getSequence());

    daemon.terminate();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> {
      while (ticks.hasNext()) {
        ticks.next();
      }
    });
    assertTrue(Set.of(Status.Code.CANCELLED, Status.Code.UNAVAILABLE)
        .contains(e.getStatus().getCode()), e.getStatus().toString());
    assertEquals(0, daemon.awaitExit(30), daemon.stderr());
    assertTrue(daemon.stderr().contains("calls still running after 300 ms; cancelling them"),
        daemon.stderr());
  }

  @Test
  void aUnixPathInAMissingDirectoryExitsWith3AndOneLineAfterClosingTheTcpListener()
      throws Exception {
    String bad = "unix://" + temp.resolve("missing").resolve("daemon.sock");
    DaemonProcess daemon = start("--listen", "tcp://127.0.0.1:0", "--listen", bad);
    assertEquals(PlumbDaemon.EXIT_CANNOT_LISTEN, daemon.awaitExit(30));
    assertEquals("", daemon.remainingStdout(), "no READY line");
    String stderr = daemon.stderr();
    assertTrue(stderr.contains("plumb-daemon: cannot listen on " + bad + ": the directory "
        + temp.resolve("missing") + " does not exist"), stderr);
  }

  @Test
  void anOccupiedTcpPortExitsWith3AndSaysSo() throws Exception {
    try (ServerSocket occupied = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String address = "tcp://127.0.0.1:" + occupied.getLocalPort();
      DaemonProcess daemon = start("--listen", address);
      assertEquals(PlumbDaemon.EXIT_CANNOT_LISTEN, daemon.awaitExit(30));
      String stderr = daemon.stderr();
      assertTrue(stderr.contains("plumb-daemon: cannot listen on " + address), stderr);
      assertTrue(stderr.contains("Address already in use"), stderr);
      assertEquals("", daemon.remainingStdout());
    }
  }

  @Test
  void aBadServiceOrAddressIsAUsageErrorWithCode2() throws Exception {
    DaemonProcess notAService = start("--service", "java.lang.String");
    assertEquals(PlumbDaemon.EXIT_USAGE, notAService.awaitExit(30));
    assertTrue(notAService.stderr().contains("plumb-daemon: --service java.lang.String: not an"
        + " io.grpc.BindableService"), notAService.stderr());

    DaemonProcess noTransport = start("--listen", "nope://nowhere");
    assertEquals(PlumbDaemon.EXIT_USAGE, noTransport.awaitExit(30));
    assertTrue(noTransport.stderr().contains("plumb-daemon: "), noTransport.stderr());
    assertTrue(noTransport.stderr().contains("nope"), noTransport.stderr());
  }

  /**
   * On {@code stdio:} the daemon is the child of a {@code pipe:} channel: it serves the calls
   * on its stdin and stdout, knows its parent (this JVM) as the caller, and exits when the
   * channel shuts down.
   */
  @Test
  void onStdioItIsThePipeChildOfAChannelAndKnowsItsParent() throws Exception {
    ManagedChannel channel = channel(ExampleJvm.pipeTarget(PlumbDaemon.class.getName(),
        List.of("--listen", "stdio:"), ""));
    Caller caller = IdentityGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .whoAmI(WhoAmIRequest.getDefaultInstance());
    assertEquals(ProcessHandle.current().pid(), caller.getPid());
    assertEquals(Identities.ownUid(), caller.getUid());
    ProcessHandle child = ProcessHandle.of(caller.getServerPid()).orElseThrow();
    assertEquals(ProcessHandle.current().pid(),
        child.parent().map(ProcessHandle::pid).orElse(-1L));

    channel.shutdown();
    assertTrue(channel.awaitTermination(10, TimeUnit.SECONDS));
    child.onExit().get(20, TimeUnit.SECONDS);
  }

  private static HealthCheckRequest request(String service) {
    return HealthCheckRequest.newBuilder().setService(service).build();
  }
}
