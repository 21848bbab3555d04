package dev.plumb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.plumb.childjvm.JavaCommand;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.proto.testing.EchoResponse;
import dev.plumb.proto.testing.OutcomeRequest;
import dev.plumb.proto.testing.ServerInfoRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.testing.Reflection;
import io.grpc.Channel;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.channelz.v1.ChannelzGrpc;
import io.grpc.channelz.v1.GetServersRequest;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as a real process hosting an application's services from its service path: its
 * addresses, health, reflection, channelz, signals, errors, and its place as a pipe: child.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PlumbDaemonTest {
  static final String CONFORMANCE = "plumb.testing.v1.Conformance";
  private static final Set<String> ALWAYS_ON = Set.of("grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection",
      "grpc.channelz.v1.Channelz");

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

  static String echo(ManagedChannel channel, String text) {
    return ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .unary(EchoRequest.newBuilder().setPayload(ByteString.copyFromUtf8(text)).build())
        .getPayload().toStringUtf8();
  }

  @Test
  void servesTheRegisteredServicesWithHealthReflectionAndChannelzOnTcpAndUnixAtOnce()
      throws Exception {
    Path socket = temp.resolve("daemon.sock");
    DaemonProcess daemon = start("--service-path", DaemonProcess.SERVICE_PATH,
        "--listen", "tcp://127.0.0.1:0", "--listen", "unix://" + socket);
    List<String> addresses = daemon.readyAddresses(2);
    assertTrue(addresses.get(0).matches("tcp://127\\.0\\.0\\.1:[1-9][0-9]*"), addresses.get(0));
    assertEquals("unix://" + socket, addresses.get(1));

    for (String address : addresses) {
      ManagedChannel channel = channel(address);
      assertEquals("over " + address, echo(channel, "over " + address));
      HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS);
      for (String service : List.of("", CONFORMANCE, SecondService.NAME)) {
        assertEquals(ServingStatus.SERVING, health.check(request(service)).getStatus(),
            address + " " + service);
      }
      StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
          () -> health.check(request("no.such.Service")));
      assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());

      // Reflection lists the services that have a protobuf descriptor; SecondService has none.
      Set<String> expected = new TreeSet<>(ALWAYS_ON);
      expected.add(CONFORMANCE);
      assertEquals(expected, new TreeSet<>(Reflection.services(channel)), address);
      assertEquals(1, ChannelzGrpc.newBlockingStub(channel).withDeadlineAfter(10,
          TimeUnit.SECONDS).getServers(GetServersRequest.getDefaultInstance()).getServerCount());
    }

    daemon.terminate();
    assertEquals(0, daemon.awaitExit(30), daemon.stderr());
    assertFalse(Files.exists(socket), "the socket file outlived the daemon");
    assertEquals("", daemon.remainingStdout(), "stdout has the READY lines only");
    String stderr = daemon.stderr();
    // The text format, for Plumb's lines as for the daemon's.
    assertTrue(stderr.matches("(?s).*\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S+ INFO  "
        + "\\[main\\] dev\\.plumb\\.rpc\\.internal\\.PlumbInternalServer - listening on "
        + "unix://.*"), stderr);
  }

  /**
   * Beside a Plumb address, gRPC's own over HTTP/2: grpc-netty's stock client reaches the hosted
   * services, health, reflection and channelz over {@code grpc://} and {@code grpc+unix://};
   * READY names the bound addresses in the order given; SIGTERM drains a call in flight there.
   */
  @Test
  void servesTheSameServicesOverGrpcAndGrpcUnixBesideAPlumbAddressAndDrainsThem()
      throws Exception {
    Path h2 = temp.resolve("daemon.h2.sock");
    DaemonProcess daemon = start("--service-path", DaemonProcess.SERVICE_PATH,
        "--listen", "grpc://127.0.0.1:0", "--listen", "tcp://127.0.0.1:0",
        "--listen", "grpc+unix://" + h2, "--grace", "20s");
    List<String> addresses = daemon.readyAddresses(3);
    assertTrue(addresses.get(0).matches("grpc://127\\.0\\.0\\.1:[1-9][0-9]*"), addresses.get(0));
    assertTrue(addresses.get(1).matches("tcp://127\\.0\\.0\\.1:[1-9][0-9]*"), addresses.get(1));
    assertEquals("grpc+unix://" + h2, addresses.get(2));
    assertEquals("over Plumb", echo(channel(addresses.get(1)), "over Plumb"));

    Set<String> expected = new TreeSet<>(ALWAYS_ON);
    expected.add(CONFORMANCE);
    // gRPC's names for them: host:port, and unix:///path (HTTP/2 over a Unix socket).
    String tcpTarget = addresses.get(0).substring("grpc://".length());
    for (String target : List.of(tcpTarget, "unix://" + h2)) {
      ManagedChannel channel = grpcChannel(target);
      assertEquals("over " + target, echo(channel, "over " + target));
      HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS);
      for (String service : List.of("", CONFORMANCE, SecondService.NAME)) {
        assertEquals(ServingStatus.SERVING, health.check(request(service)).getStatus(),
            target + " " + service);
      }
      assertEquals(expected, new TreeSet<>(Reflection.services(channel)), target);
      // The Plumb server and one grpc-netty server per gRPC address.
      assertEquals(3, ChannelzGrpc.newBlockingStub(channel).withDeadlineAfter(10,
          TimeUnit.SECONDS).getServers(GetServersRequest.getDefaultInstance()).getServerCount());
    }

    // Health watched over the other gRPC listener: NOT_SERVING says the drain has begun.
    drainCarriesTheOpenCall(daemon, grpcChannel("unix://" + h2), grpcChannel(tcpTarget));
    assertEquals(0, daemon.awaitExit(30), daemon.stderr());
    assertEquals("", daemon.remainingStdout(), "stdout has the READY lines only");
    assertFalse(daemon.stderr().contains("cancelling them"), daemon.stderr());
  }

  /**
   * Opens a bidirectional call over {@code calls} and watches health over {@code health}, then
   * sends the daemon SIGTERM: once health turns NOT_SERVING (the drain began) the open call
   * still carries a message and ends normally.
   */
  private static void drainCarriesTheOpenCall(DaemonProcess daemon, Channel health,
      Channel calls) throws Exception {
    BlockingQueue<HealthCheckResponse> statuses = new LinkedBlockingQueue<>();
    CompletableFuture<ClientCallStreamObserver<HealthCheckRequest>> watch =
        new CompletableFuture<>();
    HealthGrpc.newStub(health).watch(request(""), new ClientResponseObserver<
        HealthCheckRequest, HealthCheckResponse>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<HealthCheckRequest> call) {
        watch.complete(call);
      }

      @Override
      public void onNext(HealthCheckResponse status) {
        statuses.add(status);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    });
    assertEquals(ServingStatus.SERVING, statuses.poll(30, TimeUnit.SECONDS).getStatus());
    BlockingQueue<EchoResponse> echoes = new LinkedBlockingQueue<>();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    StreamObserver<EchoRequest> requests = ConformanceGrpc.newStub(calls)
        .withDeadlineAfter(60, TimeUnit.SECONDS).bidi(new StreamObserver<>() {
          @Override
          public void onNext(EchoResponse response) {
            echoes.add(response);
          }

          @Override
          public void onError(Throwable t) {
            ended.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            ended.complete(null);
          }
        });
    requests.onNext(EchoRequest.newBuilder().setPayload(ByteString.copyFromUtf8("one")).build());
    assertEquals("one", echoes.poll(30, TimeUnit.SECONDS).getPayload().toStringUtf8());

    daemon.terminate();
    assertEquals(ServingStatus.NOT_SERVING, statuses.poll(30, TimeUnit.SECONDS).getStatus());
    watch.get().cancel("the drain began", null);
    requests.onNext(EchoRequest.newBuilder().setPayload(ByteString.copyFromUtf8("two")).build());
    assertEquals("two", echoes.poll(30, TimeUnit.SECONDS).getPayload().toStringUtf8());
    requests.onCompleted();
    ended.get(30, TimeUnit.SECONDS);
  }

  /** A gRPC channel of grpc-netty's, through gRPC's registry as any gRPC client makes one. */
  private ManagedChannel grpcChannel(String target) {
    ManagedChannel channel = Grpc.newChannelBuilder(target, InsecureChannelCredentials.create())
        .build();
    toClose.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return channel;
  }

  @Test
  void namedServicesAreTheOnlyOnesServed() throws Exception {
    DaemonProcess daemon = start("--service-path", DaemonProcess.SERVICE_PATH,
        "--listen", "tcp://127.0.0.1:0", "--service", SecondService.class.getName());
    ManagedChannel channel = channel(daemon.readyAddresses(1).get(0));
    assertEquals(new TreeSet<>(ALWAYS_ON), new TreeSet<>(Reflection.services(channel)));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> echo(channel, "not served"));
    assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
  }

  /**
   * A bidirectional call is open when SIGTERM comes: once health has turned NOT_SERVING (the
   * drain began) it still carries a message and ends normally, and the daemon exits with 0.
   */
  @Test
  void sigtermDrainsTheCallsInFlightThenExitsWithZero() throws Exception {
    DaemonProcess daemon = start("--service-path", DaemonProcess.SERVICE_PATH,
        "--listen", "tcp://127.0.0.1:0", "--grace", "20s");
    ManagedChannel channel = channel(daemon.readyAddresses(1).get(0));
    drainCarriesTheOpenCall(daemon, channel, channel);
    assertEquals(0, daemon.awaitExit(30), daemon.stderr());
    String stderr = daemon.stderr();
    assertTrue(stderr.contains("draining: no new calls; calls in flight have 20000 ms"), stderr);
    assertFalse(stderr.contains("cancelling them"), stderr);
  }

  /** A call longer than the grace period is cancelled; the exit is still 0. */
  @Test
  void aCallThatOutlastsTheGracePeriodIsCancelled() throws Exception {
    DaemonProcess daemon = start("--service-path", DaemonProcess.SERVICE_PATH,
        "--listen", "tcp://127.0.0.1:0", "--grace", "300ms");
    ManagedChannel channel = channel(daemon.readyAddresses(1).get(0));
    CompletableFuture<EchoResponse> hang = new CompletableFuture<>();
    ConformanceGrpc.newStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
        .hang(EchoRequest.newBuilder().setTag("hang").build(), new StreamObserver<>() {
          @Override
          public void onNext(EchoResponse response) {
            hang.complete(response);
          }

          @Override
          public void onError(Throwable t) {
            hang.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .outcome(OutcomeRequest.newBuilder().setTag("hang")
            .setUntil(OutcomeRequest.Until.ARRIVAL).setWaitMillis(20_000).build());

    daemon.terminate();
    Exception e = assertThrows(Exception.class, () -> hang.get(30, TimeUnit.SECONDS));
    assertTrue(Set.of(Status.Code.CANCELLED, Status.Code.UNAVAILABLE)
        .contains(Status.fromThrowable(e).getCode()), e.toString());
    assertEquals(0, daemon.awaitExit(30), daemon.stderr());
    assertTrue(daemon.stderr().contains("calls still running after 300 ms; cancelling them"),
        daemon.stderr());
  }

  @Test
  void aUnixPathInAMissingDirectoryExitsWith3AndOneLineAfterClosingTheTcpListener()
      throws Exception {
    String bad = "unix://" + temp.resolve("missing").resolve("daemon.sock");
    DaemonProcess daemon = start("--service-path", DaemonProcess.SERVICE_PATH,
        "--listen", "tcp://127.0.0.1:0", "--listen", bad);
    assertEquals(PlumbDaemon.EXIT_CANNOT_LISTEN, daemon.awaitExit(30));
    assertEquals("", daemon.remainingStdout(), "no READY line");
    String stderr = daemon.stderr();
    assertTrue(stderr.contains("plumb-daemon: cannot listen on " + bad + ": the directory "
        + temp.resolve("missing") + " does not exist"), stderr);
  }

  @Test
  void anOccupiedTcpPortExitsWith3AndSaysSoForPlumbAndForGrpc() throws Exception {
    try (ServerSocket occupied = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      for (String scheme : List.of("tcp", "grpc")) {
        String address = scheme + "://127.0.0.1:" + occupied.getLocalPort();
        DaemonProcess daemon = start("--service-path", DaemonProcess.SERVICE_PATH,
            "--listen", address);
        assertEquals(PlumbDaemon.EXIT_CANNOT_LISTEN, daemon.awaitExit(30));
        String stderr = daemon.stderr();
        assertTrue(stderr.contains("plumb-daemon: cannot listen on " + address + ": "), stderr);
        assertTrue(stderr.contains("Address already in use"), stderr);
        assertEquals("", daemon.remainingStdout());
      }
    }
  }

  /** Usage errors exit with 2 and one line, before anything listens. */
  @Test
  void aMissingServiceABadClassOrAnUnknownSchemeIsAUsageErrorWithCode2() throws Exception {
    DaemonProcess none = start("--listen", "tcp://127.0.0.1:0");
    assertEquals(PlumbDaemon.EXIT_USAGE, none.awaitExit(30));
    assertTrue(none.stderr().contains("plumb-daemon: no service to host: give the"
        + " application's jars with --service-path, or name the classes with --service"),
        none.stderr());

    DaemonProcess notAService = start("--service", "java.lang.String");
    assertEquals(PlumbDaemon.EXIT_USAGE, notAService.awaitExit(30));
    assertTrue(notAService.stderr().contains("plumb-daemon: --service java.lang.String: not an"
        + " io.grpc.BindableService"), notAService.stderr());

    DaemonProcess noTransport = start("--service-path", DaemonProcess.SERVICE_PATH,
        "--listen", "nope://nowhere");
    assertEquals(PlumbDaemon.EXIT_USAGE, noTransport.awaitExit(30));
    assertTrue(noTransport.stderr().contains("plumb-daemon: "), noTransport.stderr());
    assertTrue(noTransport.stderr().contains("no Plumb transport for the scheme 'nope'"),
        noTransport.stderr());
  }

  /**
   * On {@code stdio:} the daemon is the child of a {@code pipe:} channel: it serves the calls
   * on its stdin and stdout, and exits when the channel shuts down.
   */
  @Test
  void onStdioItIsThePipeChildOfAChannel() throws Exception {
    ManagedChannel channel = channel("pipe:" + JavaCommand.quoted(DaemonProcess.command(
        "--service-path", DaemonProcess.SERVICE_PATH, "--listen", "stdio:")));
    assertEquals("over a pipe", echo(channel, "over a pipe"));
    long pid = ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .serverInfo(ServerInfoRequest.getDefaultInstance()).getPid();
    ProcessHandle child = ProcessHandle.of(pid).orElseThrow();
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
