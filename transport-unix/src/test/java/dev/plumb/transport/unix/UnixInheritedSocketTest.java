package dev.plumb.transport.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.kit.IdleMode;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ConformanceService;
import io.grpc.Server;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * A Unix socket bound and listening outside the server, as systemd hands one over, served
 * through {@code fd:N} (the daemon's tests pass real inherited descriptors). The server gets a
 * duplicate of the test's socket, which it owns from then on, as an inheritor owns its
 * descriptors.
 */
@Timeout(30)
class UnixInheritedSocketTest {
  @TempDir
  Path dir;
  private final Cleanup cleanup = new Cleanup();
  private final List<AFUNIXServerSocket> originals = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
    for (AFUNIXServerSocket original : originals) {
      original.close();
    }
  }

  /**
   * A socket file like systemd's: bound and listening, its descriptor duplicated for the server.
   * The original stays open until the test ends, as systemd keeps its own: junixsocket's close
   * stops the socket listening, whatever descriptors it has.
   */
  private int listeningDescriptor(Path path) throws Exception {
    AFUNIXServerSocket original = AFUNIXServerSocket.newInstance();
    originals.add(original);
    original.setDeleteOnClose(false);
    original.bind(AFUNIXSocketAddress.of(path), 16);
    return FileDescriptorCast.duplicating(original.getFileDescriptor()).as(Integer.class);
  }

  @Test
  void aListeningSocketIsServedWithItsAccessOptionsAndItsFileStays() throws Exception {
    Path path = dir.resolve("inherited.sock");
    int fd = listeningDescriptor(path);

    Server server = cleanup.add(PlumbServerBuilder.forAddress("fd:" + fd + "?allowUids=4321")
        .addService(new ConformanceService()).build().start());
    assertEquals("unix://" + path, server.getListenSockets().get(0).toString());
    assertEquals("inherited", ConformanceGrpc.newBlockingStub(cleanup.add(
            PlumbChannelBuilder.forTarget("unix://" + path).build()))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .unary(EchoRequest.newBuilder().setPayload(ByteString.copyFromUtf8("inherited")).build())
        .getPayload().toStringUtf8());

    assertTrue(server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS));
    assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS),
        "the socket file is whoever passed the socket's, and stays");
  }

  @Test
  void theLatencyModeIsKeptForTheConnectionsOfAnInheritedSocket() throws Exception {
    Path path = dir.resolve("poll.sock");
    int fd = listeningDescriptor(path);

    PlumbAddress adopted = new UnixTransport().adopt(fd, "idle=poll").orElseThrow();
    assertEquals("unix://" + path + "?fd=" + fd + "&idle=poll", adopted.toString());
    assertEquals(IdleMode.POLL, UnixEndpoint.parse(adopted.uri(), List.of("fd")).idleMode(),
        "what listen reads, and hands to each accepted connection");
    Server server = cleanup.add(PlumbServerBuilder.forAddress("fd:" + fd + "?idle=poll")
        .addService(new ConformanceService()).build().start());
    assertEquals("polled", ConformanceGrpc.newBlockingStub(cleanup.add(
            PlumbChannelBuilder.forTarget("unix://" + path).build()))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .unary(EchoRequest.newBuilder().setPayload(ByteString.copyFromUtf8("polled")).build())
        .getPayload().toStringUtf8());
    assertTrue(server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void modeIsRefusedAsTheFileExistsAlready() throws Exception {
    int fd = listeningDescriptor(dir.resolve("mode.sock"));
    String message = assertThrows(IllegalArgumentException.class,
        () -> PlumbServerBuilder.forAddress("fd:" + fd + "?mode=0660")).getMessage();
    assertTrue(message.contains("unknown option 'mode'; accepted options: allowUids,"
        + " allowGids, idle"), message);
    // Not taken, so the duplicate is still the test's to close.
    FileDescriptorCast.unsafeUsing(fd).as(AFUNIXServerSocket.class).close();
  }
}
