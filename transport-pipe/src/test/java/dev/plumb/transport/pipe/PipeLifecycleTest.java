package dev.plumb.transport.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.plumb.rpc.testing.RecordingCalls.queueListener;

import com.google.protobuf.ByteString;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.proto.testing.EchoResponse;
import dev.plumb.proto.testing.OutcomeRequest;
import dev.plumb.proto.testing.ServerInfoRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.testing.ChildJvm;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ConformanceServerMain;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A pipe: child's life: crashes, respawns, orphans, junk, printing, missing commands. */
@Timeout(60)
class PipeLifecycleTest {
  private static final String CONFORMANCE_CHILD = "pipe:"
      + ChildJvm.commandLine(ConformanceServerMain.class, "stdio:") + "#maxStarts=1000";

  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  private ConformanceGrpc.ConformanceBlockingStub stub(ManagedChannel channel) {
    return ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private long childPid(ManagedChannel channel) {
    return stub(channel).serverInfo(ServerInfoRequest.getDefaultInstance()).getPid();
  }

  @Test
  void aChildKilledMidCallFailsItWithTheSignalAndTheNextCallRespawns() throws Exception {
    ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget(CONFORMANCE_CHILD).build());
    long first = childPid(channel);
    BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    ClientCall<EchoRequest, EchoResponse> call =
        channel.newCall(ConformanceGrpc.getHangMethod(), CallOptions.DEFAULT);
    call.start(queueListener(received), new Metadata());
    call.sendMessage(EchoRequest.newBuilder().setTag("hang").build());
    call.halfClose();
    call.request(1);
    assertEquals("running", stub(channel).outcome(OutcomeRequest.newBuilder().setTag("hang")
        .setUntil(OutcomeRequest.Until.ARRIVAL).setWaitMillis(10_000).build()).getState());
    ProcessHandle.of(first).orElseThrow().destroyForcibly();
    Status status = (Status) received.poll(10, TimeUnit.SECONDS);
    assertNotNull(status, "the call did not fail within 10 s of the child's death");
    assertEquals(Status.Code.UNAVAILABLE, status.getCode());
    assertTrue(status.getDescription().contains("killed by signal 9 (SIGKILL)"), status.toString());
    long second = ConformanceGrpc.newBlockingStub(channel).withWaitForReady()
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .serverInfo(ServerInfoRequest.getDefaultInstance()).getPid();
    assertNotEquals(first, second, "the next call should have started a new child");
  }

  @Test
  void aChildKilledMidStreamFailsTheStream() throws Exception {
    ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget(CONFORMANCE_CHILD).build());
    long pid = childPid(channel);
    BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    ClientCall<EchoRequest, EchoResponse> call =
        channel.newCall(ConformanceGrpc.getServerStreamMethod(), CallOptions.DEFAULT);
    call.start(queueListener(received), new Metadata());
    call.sendMessage(EchoRequest.newBuilder().setResponseCount(1_000_000).setResponseSize(100)
        .build());
    call.halfClose();
    call.request(1);
    assertTrue(received.poll(10, TimeUnit.SECONDS) instanceof EchoResponse);
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    call.request(Integer.MAX_VALUE);
    Object last;
    do {
      last = received.poll(10, TimeUnit.SECONDS);
      assertNotNull(last, "the stream did not end within 10 s of the child's death");
    } while (last instanceof EchoResponse);
    assertEquals(Status.Code.UNAVAILABLE, ((Status) last).getCode(), last.toString());
  }

  @Test
  void aChildOutlivesNoParentEvenOneKilledBySigkill() throws Exception {
    Process parent = new ProcessBuilder(ChildJvm.command(PipeParentMain.class, CONFORMANCE_CHILD))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertNotNull(line, "the parent printed nothing");
      assertTrue(line.startsWith("CHILD "), line);
      ProcessHandle child = ProcessHandle.of(Long.parseLong(line.substring(6))).orElseThrow();
      parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      child.onExit().get(10, TimeUnit.SECONDS);
      assertTrue(!child.isAlive(), "the child outlived its killed parent");
    } finally {
      parent.destroyForcibly();
    }
  }

  @Test
  void aServiceThatPrintsToStdoutDoesNotCorruptTheStream() {
    ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget("pipe:"
        + ChildJvm.commandLine(PrintingServerMain.class) + "#maxStarts=1000").build());
    for (int i = 0; i < 20; i++) {
      ByteString payload = ByteString.copyFromUtf8("call " + i);
      assertEquals(payload, stub(channel).unary(EchoRequest.newBuilder().setPayload(payload)
          .build()).getPayload());
    }
  }

  @Test
  void aCommandThatDoesNotExistFailsSayingSo() {
    StatusRuntimeException e = failedCall("pipe:/nonexistent/plumb-no-such-server --serve");
    assertTrue(e.getStatus().getDescription().contains("cannot start"), e.toString());
    assertTrue(e.getStatus().getDescription().contains("No such file"), e.toString());
  }

  @Test
  void aCommandThatPrintsJunkFailsQuotingItAndItsExitCode() {
    StatusRuntimeException e = failedCall("pipe:sh -c 'echo hello from a shell; exit 3'");
    String description = e.getStatus().getDescription();
    assertTrue(description.contains("not a Plumb endpoint"), description);
    assertTrue(description.contains("\"hello fr\""), description);
    assertTrue(description.contains("exited with code 3"), description);
  }

  @Test
  void aCrashLoopStopsAtTheStartLimit() {
    ManagedChannel channel = cleanup.add(PlumbChannelBuilder
        .forTarget("pipe:sh -c 'exit 1'#maxStarts=2&startWindow=60s").build());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    String description = "";
    while (!description.contains("maxStarts=2")) {
      assertTrue(System.nanoTime() < deadline, "never refused a start; last: " + description);
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> ConformanceGrpc.newBlockingStub(channel).withWaitForReady()
              .withDeadlineAfter(3, TimeUnit.SECONDS)
              .unary(EchoRequest.getDefaultInstance()));
      description = String.valueOf(e.getStatus().getDescription());
    }
    assertTrue(description.contains("was started 2 times"), description);
  }

  private StatusRuntimeException failedCall(String target) {
    ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget(target).build());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> stub(channel).unary(EchoRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
    return e;
  }
}
