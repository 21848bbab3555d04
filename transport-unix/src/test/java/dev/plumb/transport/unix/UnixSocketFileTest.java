package dev.plumb.transport.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.rpc.PeerCredentials;
import dev.plumb.rpc.PlumbAttributes;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.registry.TransportRegistry;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ConformanceServerMain;
import dev.plumb.rpc.testing.ServerProcess;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The socket file's life: its mode, its directory, a stale file left by a dead server, a live
 * one owned by another process, removal on shutdown; what a client sees of the server; and what
 * it hears when it cannot connect.
 */
@Timeout(30)
class UnixSocketFileTest {
  @TempDir
  Path dir;
  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  private Server serve(String address) throws IOException {
    return cleanup.add(ConformanceServerMain.start(address));
  }

  private ManagedChannel channel(String target) {
    return cleanup.add(PlumbChannelBuilder.forTarget(target).build());
  }

  /** Notes the call's transport attributes when the response headers arrive. */
  private static ClientInterceptor capture(AtomicReference<Attributes> attributes) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
          CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            ClientCall<Q, R> call = this;
            super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(
                listener) {
              @Override
              public void onHeaders(Metadata responseHeaders) {
                attributes.set(call.getAttributes());
                super.onHeaders(responseHeaders);
              }
            }, headers);
          }
        };
      }
    };
  }

  private static String echo(Channel channel, String text) {
    return ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .unary(EchoRequest.newBuilder().setPayload(ByteString.copyFromUtf8(text)).build())
        .getPayload().toStringUtf8();
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path,
        LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void theSocketFileIsPrivateByDefaultAndGoneAfterShutdown() throws Exception {
    Path path = dir.resolve("private.sock");
    Server server = serve("unix://" + path);
    assertEquals("rw-------", permissions(path));
    assertEquals("unix://" + path, server.getListenSockets().get(0).toString());
    assertEquals("over unix:", echo(channel("unix://" + path), "over unix:"));
    server.shutdown().awaitTermination(10, TimeUnit.SECONDS);
    assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS), "the socket file outlived its server");
  }

  @Test
  void theModeOptionSetsTheFilesPermissions() throws Exception {
    Path path = dir.resolve("group.sock");
    Server server = serve("unix://" + path + "?mode=0660");
    assertEquals("rw-rw----", permissions(path));
    // The options are the server's: the address it reports, for clients, has none.
    assertEquals("unix://" + path, server.getListenSockets().get(0).toString());
  }

  @Test
  void theDirectoryMustExist() {
    Path missing = dir.resolve("missing");
    IOException e = assertThrows(IOException.class,
        () -> serve("unix://" + missing.resolve("app.sock")));
    assertTrue(e.getMessage().contains("the directory " + missing + " does not exist"),
        e.getMessage());
    assertFalse(Files.exists(missing));
  }

  @Test
  void aStaleSocketFileIsReplaced() throws Exception {
    Path path = dir.resolve("stale.sock");
    // What a crashed server leaves: a socket file that nobody accepts on.
    AFUNIXServerSocket dead = AFUNIXServerSocket.newInstance();
    dead.setDeleteOnClose(false);
    dead.bind(AFUNIXSocketAddress.of(path));
    dead.close();
    assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS));
    serve("unix://" + path);
    assertEquals("replaced", echo(channel("unix://" + path), "replaced"));
    assertEquals("rw-------", permissions(path));
  }

  @Test
  void aLiveSocketInAnotherProcessIsNeverTakenOverAndItsServerRemovesItsFile()
      throws Exception {
    Path path = dir.resolve("live.sock");
    ServerProcess other = cleanup.add(ServerProcess.start("unix://" + path));
    IOException e = assertThrows(IOException.class, () -> serve("unix://" + path));
    assertTrue(e.getMessage().contains("address in use: another server accepts on " + path),
        e.getMessage());
    // The other server still owns the path and answers; the client sees who it is.
    AtomicReference<Attributes> seen = new AtomicReference<>();
    ManagedChannel channel = channel("unix://" + path);
    assertEquals("still mine", echo(ClientInterceptors.intercept(channel, capture(seen)),
        "still mine"));
    PeerCredentials server = seen.get().get(PlumbAttributes.PEER_CREDENTIALS);
    assertEquals(other.pid(), server.pid().getAsLong());
    assertEquals(Identity.ofThisProcess().uid(), server.uid());
    assertEquals("unix://" + path, seen.get().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR).toString());
    other.terminate();
    assertTrue(other.waitForExit(10, TimeUnit.SECONDS), "the server did not stop on SIGTERM");
    assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS),
        "the server process left its socket file behind");
  }

  @Test
  void somethingThatIsNotASocketIsLeftAlone() throws Exception {
    Path path = dir.resolve("notes.txt");
    Files.writeString(path, "keep me");
    IOException e = assertThrows(IOException.class, () -> serve("unix://" + path));
    assertTrue(e.getMessage().contains(path + " exists and is not a socket"), e.getMessage());
    assertEquals("keep me", Files.readString(path));
  }

  @Test
  void aListenerRemovesOnlyTheFileItCreated() throws Exception {
    TransportRegistry registry = TransportRegistry.getDefault();
    PlumbAddress address = registry.parse("unix://" + dir.resolve("mine.sock"));
    Path path = dir.resolve("mine.sock");
    UnixTransport transport = new UnixTransport();
    Listener first = transport.listen(address, connection -> { });
    Files.delete(path);
    try (Listener second = transport.listen(address, connection -> { })) {
      first.close();
      assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS),
          "closing the first listener removed the second one's file");
    }
    assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void anAbstractNameInUseIsAnError() throws Exception {
    String name = "unix-abstract:plumb-test-" + UUID.randomUUID();
    serve(name);
    IOException e = assertThrows(IOException.class, () -> serve(name));
    assertTrue(e.getMessage().contains("address in use"), e.getMessage());
    assertEquals("abstract", echo(channel(name), "abstract"));
  }

  // ---- what a client hears ------------------------------------------------------------------

  private Status failedCall(String target) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> echo(channel(target), "nobody hears this"));
    return e.getStatus();
  }

  @Test
  void noSuchSocketFileIsUnavailableWithThePath() {
    Path path = dir.resolve("nobody-here.sock");
    Status status = failedCall("unix://" + path);
    assertEquals(Status.Code.UNAVAILABLE, status.getCode(), status.toString());
    assertTrue(status.getDescription().contains("connect to " + path
        + " failed: no such socket file (is the server running?)"), status.toString());
  }

  @Test
  void aMissingDirectoryIsUnavailableWithThePath() {
    Path path = dir.resolve("no-dir/app.sock");
    Status status = failedCall("unix://" + path);
    assertEquals(Status.Code.UNAVAILABLE, status.getCode(), status.toString());
    assertTrue(status.getDescription().contains("the directory " + path.getParent()
        + " does not exist"), status.toString());
  }

  @Test
  void aStaleSocketFileIsUnavailableConnectionRefused() throws Exception {
    Path path = dir.resolve("dead.sock");
    AFUNIXServerSocket dead = AFUNIXServerSocket.newInstance();
    dead.setDeleteOnClose(false);
    dead.bind(AFUNIXSocketAddress.of(path));
    dead.close();
    Status status = failedCall("unix://" + path);
    assertEquals(Status.Code.UNAVAILABLE, status.getCode(), status.toString());
    assertTrue(status.getDescription().contains("connect to " + path
        + " failed: connection refused: nothing accepts on it"), status.toString());
  }

  @Test
  void anAbstractNameNobodyListensOnIsUnavailable() {
    Status status = failedCall("unix-abstract:plumb-nobody-" + UUID.randomUUID());
    assertEquals(Status.Code.UNAVAILABLE, status.getCode(), status.toString());
    assertTrue(status.getDescription().contains("connection refused: no server listens on that"
        + " name"), status.toString());
  }
}
