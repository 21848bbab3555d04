package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.PayloadPool;
import dev.plumb.rpc.frame.PooledBytes;
import dev.plumb.rpc.frame.TestPools;
import dev.plumb.rpc.testing.FuzzSeeds;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.internal.ServerStream;
import java.io.ByteArrayInputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of a server session (Jazzer; see docs/ARCHITECTURE.md, section 8, for
 * the long run): {@link PeerScript} turns the fuzzer's bytes into frames from a client, time
 * passing and the server application's answers, played through {@link SessionHarness} with its
 * manual clock. {@link SessionFuzzTest} holds the session to the same first four promises with
 * seeded random sequences; here the fuzzer steers towards the code they have not reached yet.
 *
 * <ul>
 *   <li>nothing is thrown, and the session never fails on a bug of its own (the "internal
 *       error" it closes with when it catches one);
 *   <li>no callback runs under the session's lock;
 *   <li>a connection closed for a protocol error or a flood is told why in a GO_AWAY first;
 *   <li>once the link is gone, every call that started has ended, once, and the transport
 *       terminated, once;
 *   <li>each call reads the messages the client sent on its stream, intact and in order;
 *   <li>no array lent to a DATA payload is given back to its pool more often than it was lent;
 *   <li>everything the session writes is what the client may expect ({@link PeerView}):
 *       decodable, nothing on a stream the server ended, DATA within the client's windows, no
 *       window granted back for bytes the client never sent.
 * </ul>
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SessionGuidedFuzzTest {
  /** Small windows and limits, and timers, so that short inputs reach their edges. */
  static final ProtocolSettings SETTINGS = ProtocolSettings.DEFAULTS
      .withWindows(4096, 16_384)
      .withMaxConcurrentStreams(4)
      .withMaxMessageSize(8192)
      .withMaxResets(20, 1, TimeUnit.SECONDS)
      .withServerKeepAliveTime(1, TimeUnit.MINUTES)
      .withServerKeepAliveTimeout(20, TimeUnit.SECONDS)
      .withLifetime(ConnectionLifetime.UNLIMITED.withMaxIdle(5, TimeUnit.MINUTES));
  private static final int MAX_STEPS = 64;

  /** Lends the DATA payloads; one per test instance, as a connection's readers share one. */
  private final PayloadPool pool = TestPools.newPool();

  @Test
  void theCommittedSeedsAreTheOnesWritten() {
    FuzzSeeds.assertCommitted(getClass(), "frameSequencesNeverBreakTheSessionsPromises",
        SessionFuzzSeeds.all());
  }

  @FuzzTest(maxDuration = "10m")
  void frameSequencesNeverBreakTheSessionsPromises(FuzzedDataProvider data) {
    PeerScript script = new PeerScript(data, pool);
    RecordingServer server = new RecordingServer();
    SessionHarness session = SessionHarness.server(SETTINGS, server);
    server.harness = session;
    PeerView client = new PeerView();
    client.serverWrote(session.sent());
    Application application = new Application();
    PeerScript.Step step;
    for (int i = 0; i < MAX_STEPS && (step = script.next()) != null; i++) {
      play(step, session, server, client, application);
      client.serverWrote(session.sent());
    }
    Status closed = session.closedWith();
    assertFalse(closed != null && closed.getDescription() != null
        && closed.getDescription().startsWith("internal error"), () -> "a bug: " + closed);
    if (closed != null && closed.getCode() != Status.Code.UNAVAILABLE
        && !String.valueOf(closed.getDescription()).startsWith("the connection was refused")) {
      assertTrue(client.written().stream().anyMatch(frame -> frame.type() == FrameType.GO_AWAY),
          () -> "closed with " + closed + " and no GO_AWAY; wrote " + client.written());
    }

    session.close(Status.UNAVAILABLE.withDescription("the client hangs up"));
    session.settle();
    assertEquals(List.of(), server.underLock, "callbacks under the session lock");
    server.ends.forEach((id, ends) -> assertEquals(1, ends, "ends of the call on stream " + id));
    assertEquals(1, server.terminations, "transport terminations");
    server.messages.forEach((id, read) -> assertReadAsSent(script, id, read));
    for (PooledBytes pooled : script.lentArrays()) {
      assertTrue(TestPools.references(pooled) >= 0, () -> "released too often: " + pooled);
    }
  }

  private static void play(PeerScript.Step step, SessionHarness session, RecordingServer server,
      PeerView client, Application application) {
    if (step instanceof PeerScript.Receive receive) {
      client.clientSent(receive.frame());
      session.receive(receive.frame());
    } else if (step instanceof PeerScript.Wait wait) {
      session.clock.forward(wait.millis(), TimeUnit.MILLISECONDS);
    } else if (step instanceof PeerScript.Respond respond) {
      application.respond(call(server, respond.call()), respond.bytes());
    } else if (step instanceof PeerScript.Finish finish) {
      application.finish(call(server, finish.call()), Status.fromCodeValue(finish.code()));
    } else if (step instanceof PeerScript.Cancel cancel) {
      application.cancel(call(server, cancel.call()));
    } else if (step instanceof PeerScript.Shutdown shutdown) {
      if (shutdown.now()) {
        session.serverTransport().shutdownNow(Status.UNAVAILABLE.withDescription("stopping"));
      } else {
        session.serverTransport().shutdown();
      }
    }
    session.settle();
  }

  /** The {@code index}-th started call, counted round; null if none started. */
  private static ServerStream call(RecordingServer server, int index) {
    return server.calls.isEmpty() ? null : server.calls.get(index % server.calls.size());
  }

  /** What a call read is what the client queued on its stream, or the start of it. */
  private static void assertReadAsSent(PeerScript script, int streamId, List<byte[]> read) {
    if (script.isGarbled(streamId)) {
      return;
    }
    List<byte[]> sent = script.queuedMessages(streamId);
    assertTrue(read.size() <= sent.size(),
        () -> "stream " + streamId + " read " + read.size() + " messages of " + sent.size());
    for (int i = 0; i < read.size(); i++) {
      assertArrayEquals(sent.get(i), read.get(i), "message " + i + " of stream " + streamId);
    }
  }

  /**
   * The server application, as gRPC's server calls let it act: headers before the first
   * message, nothing after it closed the call; a cancel (a deadline, say) at any time.
   */
  private static final class Application {
    private final Set<ServerStream> responded = new HashSet<>();
    private final Set<ServerStream> finished = new HashSet<>();

    void respond(ServerStream call, int bytes) {
      if (call == null || finished.contains(call)) {
        return;
      }
      if (responded.add(call)) {
        call.writeHeaders(new Metadata(), false);
      }
      call.writeMessage(new ByteArrayInputStream(new byte[bytes]));
      call.flush();
    }

    void finish(ServerStream call, Status status) {
      if (call != null && finished.add(call)) {
        call.close(status, new Metadata());
      }
    }

    void cancel(ServerStream call) {
      if (call != null) {
        call.cancel(Status.CANCELLED.withDescription("the application cancels"));
      }
    }
  }
}
