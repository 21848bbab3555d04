package dev.plumb.rpc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.proto.testing.OutcomeRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server's connection limits over a real transport, the server in its own process
 * ({@code PlumbServerBuilder.maxConnections}, {@code maxConnectionsPerPeer}): the connection
 * past a limit is refused as it is accepted, and its calls fail with UNAVAILABLE naming the
 * server's RESOURCE_EXHAUSTED and the limit; the admitted ones serve on; and a connection gives
 * its place back exactly once however it ends, so the limit still holds after many.
 *
 * <p>Each channel is one connection. A channel that must be admitted makes its first call
 * wait-for-ready: the server notices a closed connection a moment after the client closed it,
 * and a connection refused in that moment is tried again by gRPC (after its reconnect
 * back-off) until it is admitted; a leaked place makes it time out instead.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class AbstractConnectionLimitTest {
  private static final int LIMIT = 3;
  private static final ByteString PAYLOAD = ByteString.copyFromUtf8("admitted");
  /** Serves with {@code maxConnections} {@link #LIMIT}, for the tests of a class. */
  private static ServerProcess limited;

  private final Cleanup cleanup = new Cleanup();

  /** A fresh address for a server to listen on (port 0, a new socket file). */
  protected abstract String listenAddress();

  /** How the server names this JVM as a peer: {@code uid 1000}, {@code 127.0.0.1}. */
  protected abstract String peerOfThisJvm();

  /** This process's user id, as {@code unix:} and {@code shm:} servers name their peers by it. */
  protected static String ownUid() {
    try {
      return "uid " + Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read this process's uid", e);
    }
  }

  @BeforeEach
  void startServer() throws IOException {
    if (limited == null || !limited.isAlive()) {
      limited = ServerProcess.start(listenAddress(),
          ConformanceServerMain.MAX_CONNECTIONS + LIMIT);
    }
  }

  @AfterEach
  void closeEverything() throws Exception {
    cleanup.close();
  }

  @AfterAll
  static void stopServer() {
    if (limited != null) {
      limited.close();
      limited = null;
    }
  }

  @Test
  void theConnectionPastTheLimitIsRefusedAndTheOthersServeOn() throws Exception {
    ManagedChannel first = admitted(limited);
    ManagedChannel second = admitted(limited);
    ManagedChannel third = admitted(limited);

    assertRefused(limited, "the server is at its connection limit (maxConnections=" + LIMIT
        + ")");
    assertServes(first);
    assertServes(second);
    assertServes(third);

    close(first);
    admitted(limited);
    assertServes(second);
  }

  @Test
  void everyWayAConnectionEndsGivesItsPlaceBackOnce() throws Exception {
    // Open throughout, so that a place given back twice would leave the count short of it.
    // Of the two other places, the cycles use one at a time: the other lets a cycle's
    // connection in while the server has not yet noticed the previous one's end.
    ManagedChannel holder = admitted(limited);
    for (int i = 0; i < 6; i++) {
      ManagedChannel channel = admitted(limited);
      if (i % 2 == 0) {
        channel.shutdown();  // Graceful: the client closes the link once its calls are done.
      } else {
        channel.shutdownNow();
      }
      assertTrue(channel.awaitTermination(10, TimeUnit.SECONDS));
    }
    killAClientWithACallOpen(holder);

    // Exactly two places are free beside the holder's: none leaked (the next two are admitted),
    // none given back twice (the one after is refused).
    ManagedChannel second = admitted(limited);
    ManagedChannel third = admitted(limited);
    assertRefused(limited, "the server is at its connection limit (maxConnections=" + LIMIT
        + ")");
    assertServes(holder);
    assertServes(second);
    assertServes(third);
  }

  @Test
  void aPeerPastItsOwnLimitIsRefused() throws Exception {
    ServerProcess perPeer = cleanup.add(ServerProcess.start(listenAddress(),
        ConformanceServerMain.MAX_CONNECTIONS_PER_PEER + 1));
    ManagedChannel only = admitted(perPeer);

    assertRefused(perPeer, peerOfThisJvm()
        + " is at its connection limit on this server (maxConnectionsPerPeer=1)");
    assertServes(only);
  }

  /**
   * A client process with a call open, killed (SIGKILL): the server learns of it from the
   * link alone. Returns once the server has ended the call, and so closed the connection, as
   * {@code observer} is told.
   */
  private void killAClientWithACallOpen(ManagedChannel observer) throws Exception {
    dev.plumb.childjvm.ServerProcess client = dev.plumb.childjvm.ServerProcess.start(
        "client", ChildJvm.command(FrozenClient.class, limited.address()),
        Duration.ofSeconds(30), Duration.ofSeconds(10));
    try {
      assertEquals("running", outcome(observer, OutcomeRequest.Until.ARRIVAL).getState());
    } finally {
      client.kill();
    }
    assertEquals("cancelled", outcome(observer, OutcomeRequest.Until.END).getState());
  }

  private static dev.plumb.proto.testing.OutcomeResponse outcome(ManagedChannel channel,
      OutcomeRequest.Until until) {
    return ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .outcome(OutcomeRequest.newBuilder().setTag(FrozenClient.TAG).setUntil(until)
            .setWaitMillis(20_000).build());
  }

  /** A new channel whose connection the server has admitted: a call on it was served. */
  private ManagedChannel admitted(ServerProcess server) {
    ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget(server.address()).build());
    assertEquals(PAYLOAD, ConformanceGrpc.newBlockingStub(channel).withWaitForReady()
        .withDeadlineAfter(20, TimeUnit.SECONDS)
        .unary(EchoRequest.newBuilder().setPayload(PAYLOAD).build()).getPayload());
    return channel;
  }

  private static void assertServes(ManagedChannel channel) {
    assertEquals(PAYLOAD, ConformanceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .unary(EchoRequest.newBuilder().setPayload(PAYLOAD).build()).getPayload());
  }

  /**
   * A new channel's call fails: the server refused its connection for {@code reason}. The
   * channel is closed before returning: gRPC would otherwise reconnect it after its back-off
   * and could take the next place given back before the connection the test means to admit.
   */
  private void assertRefused(ServerProcess server, String reason) throws InterruptedException {
    ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget(server.address()).build());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            .unary(EchoRequest.newBuilder().setPayload(PAYLOAD).build()));
    close(channel);
    Status status = e.getStatus();
    assertEquals(Status.Code.UNAVAILABLE, status.getCode(), status.toString());
    assertEquals(server.address() + ": the connection was refused: RESOURCE_EXHAUSTED: "
        + reason, status.getDescription());
    Status cause = Status.fromThrowable(status.getCause());
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, cause.getCode(), status.toString());
    assertEquals(reason, cause.getDescription());
  }

  private static void close(ManagedChannel channel) throws InterruptedException {
    channel.shutdownNow();
    assertTrue(channel.awaitTermination(10, TimeUnit.SECONDS));
  }
}
