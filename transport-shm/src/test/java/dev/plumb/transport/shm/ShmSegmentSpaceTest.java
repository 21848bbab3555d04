package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.testing.ChildJvm;
import dev.plumb.rpc.testing.Cleanup;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server whose {@code /dev/shm} cannot hold the segment its ring size needs refuses the
 * connection with RESOURCE_EXHAUSTED naming both sizes (its calls end UNAVAILABLE with that
 * refusal), instead of handing out a sparse segment
 * that turns into SIGBUS on the first page nobody can allocate. The server ({@link ShmPeerMain})
 * runs in a child JVM inside a mount namespace with a 1 MiB tmpfs on {@code /dev/shm}
 * ({@code unshare -rm}; the test is skipped where user namespaces are not allowed).
 */
@Timeout(60)
class ShmSegmentSpaceTest {
  private static final String SMALL_SHM = "mount -t tmpfs -o size=1m plumb-test /dev/shm"
      + " && exec \"$@\"";

  @TempDir
  Path sockets;
  private final Cleanup cleanup = new Cleanup();
  private Process server;

  @AfterEach
  void close() throws Exception {
    cleanup.close();
    if (server != null) {
      server.destroyForcibly().waitFor();
    }
  }

  private static boolean userNamespacesWork() throws InterruptedException {
    try {
      Process probe = new ProcessBuilder("unshare", "-rm", "sh", "-c", "mount -t tmpfs -o"
          + " size=1m plumb-probe /dev/shm").redirectErrorStream(true).start();
      return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void aSegmentLargerThanTheUsableSpaceIsRefusedWithResourceExhausted() throws Exception {
    assumeTrue(userNamespacesWork(), "unshare -rm (user and mount namespaces) is not allowed");
    String address = "shm://" + sockets.resolve("space.sock");
    List<String> command = new ArrayList<>(List.of("unshare", "-rm", "sh", "-c", SMALL_SHM,
        "sh"));
    command.addAll(ChildJvm.command(ShmPeerMain.class, "server", address + "?ringSize=1m",
        "idle"));
    server = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("READY", out.readLine(), "the server did not start");

    ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget(address).build());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
            .unary(EchoRequest.getDefaultInstance()));
    // A server that cannot take the connection now: UNAVAILABLE to the call, the server's
    // RESOURCE_EXHAUSTED in the description and as the cause.
    Status status = e.getStatus();
    assertEquals(Status.Code.UNAVAILABLE, status.getCode(), status.toString());
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, Status.fromThrowable(status.getCause()).getCode(),
        status.toString());
    assertTrue(status.getDescription().contains("the connection was refused: RESOURCE_EXHAUSTED: "),
        status.toString());
    long segment = SegmentDescriptor.segmentLength(1 << 20);
    assertTrue(status.getDescription().contains("rings of 1048576 bytes need a segment of "
        + segment + " bytes"), status.toString());
    assertTrue(status.getDescription().contains("/dev/shm has 1048576 bytes usable"),
        status.toString());
  }
}
