package dev.plumb.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.childjvm.JavaCommand;
import dev.plumb.childjvm.ServerProcess;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.shared.testing.ChecksumsGrpc;
import dev.plumb.shared.testing.MakeRequest;
import dev.plumb.shared.testing.Upload;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * What attachments leave behind when processes die or let go: descriptors return to their
 * baseline in every surviving process, and no segment ever has a name in {@code /dev/shm}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AttachmentLifetimeTest {
  @TempDir
  Path directory;

  /**
   * A client killed -9 while its buffer's bytes are still arriving inline: the server's call
   * ends CANCELLED and the half-made copy is gone with it.
   */
  @Test
  void aClientKilledMidTransferLeavesTheServerAsItWas() throws Exception {
    CompletableFuture<String> ended = new CompletableFuture<>();
    ServerInterceptor outcome = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
          Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
          @Override
          public void onCancel() {
            ended.complete("CANCELLED");
            super.onCancel();
          }

          @Override
          public void onComplete() {
            ended.complete("COMPLETED");
            super.onComplete();
          }
        };
      }
    };
    Server server = PlumbServerBuilder.forAddress("tcp://127.0.0.1:0")
        .addService(ServerInterceptors.intercept(new SharedServerMain.ChecksumService(), outcome))
        .build().start();
    try {
      Map<String, Path> baseline = OpenDescriptors.own();
      String target = server.getListenSockets().get(0).toString();
      Process client = new ProcessBuilder(JavaCommand.of(List.of(),
          UploadClientMain.class.getName(), List.of(target, Long.toString(256L << 20))))
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
        assertEquals("SENDING", out.readLine());
        // The copy's memfd appears with the ATTACH; its bytes take a while to follow.
        awaitTrue(() -> newMemfds(baseline) > 0 ? 1 : 0, "the server never began a copy");
        assertTrue(client.isAlive(), "the client finished before it could be killed");
        client.destroyForcibly();
        client.waitFor();
      }
      assertEquals("CANCELLED", ended.get(30, TimeUnit.SECONDS));
      awaitTrue(() -> newMemfds(baseline) == 0 ? 1 : 0,
          "the server still holds the dead client's copy");
      assertEquals(Map.of(), OpenDescriptors.inDevShm(OpenDescriptors.own()));
    } finally {
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /**
   * 200 buffers handed over by descriptor ({@code unix:}'s socket, {@code shm:}'s rendezvous
   * socket) and held at once by the client, then let go: the server's descriptors and the
   * client's memfds come back to what they were.
   */
  @ParameterizedTest
  @ValueSource(strings = {"unix", "shm"})
  void twoHundredBuffersInFlightThenReleasedLeaveNoDescriptorBehind(String scheme)
      throws Exception {
    try (ServerProcess server = ServerProcess.start("server", JavaCommand.of(List.of(),
        SharedServerMain.class.getName(),
        List.of(scheme + "://" + directory.resolve(scheme + ".sock"))),
        Duration.ofSeconds(30), Duration.ofSeconds(10))) {
      ManagedChannel channel = PlumbChannelBuilder.forTarget(server.address()).build();
      try {
        ChecksumsGrpc.ChecksumsBlockingStub stub = ChecksumsGrpc.newBlockingStub(channel);
        // This JVM's other descriptors come and go with other tests: its memfds are the
        // measure, after a first round, so that what it loads and opens once is in the
        // baselines.
        Map<String, Path> before = OpenDescriptors.own();
        stub.make(MakeRequest.newBuilder().setSize(1).build());
        awaitTrue(() -> newMemfds(before) == 0 ? 1 : 0, "the first round's buffer stays");
        Map<String, Path> ownBaseline = OpenDescriptors.own();
        Map<String, Path> serverBaseline = OpenDescriptors.of(server.pid());

        List<Upload> held = new ArrayList<>();
        Iterator<Upload> made = stub.makeMany(MakeRequest.newBuilder().setCount(200)
            .setSize(4096).setSeed(3).build());
        made.forEachRemaining(held::add);
        assertEquals(200, held.size());
        for (Upload upload : held) {
          try (SharedBufferView view = SharedBuffers.open(upload.getData())) {
            assertTrue(view.isSharedMemory());
          }
        }
        assertEquals(200, newMemfds(ownBaseline), "the 200 buffers are held here");
        awaitTrue(() -> OpenDescriptors.since(serverBaseline, OpenDescriptors.of(server.pid()))
            .isEmpty() ? 1 : 0,
            "the server let go of what it sent once its call ended");

        held.clear();
        made = null;
        awaitTrue(() -> newMemfds(ownBaseline) == 0 ? 1 : 0,
            "the client let go of the buffers once their messages were garbage");
        assertEquals(Map.of(), OpenDescriptors.inDevShm(OpenDescriptors.own()));
        assertEquals(Map.of(), OpenDescriptors.inDevShm(OpenDescriptors.of(server.pid())));
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Waits, up to 30 s, until {@code condition} gives 1, asking the collector along the way: a
   * received buffer goes once the message that brought it is garbage.
   */
  private static void awaitTrue(LongSupplier condition, String failure) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (condition.getAsLong() != 1) {
      assertTrue(System.nanoTime() < deadline, failure);
      System.gc();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  /** Shared buffers' memfds open in this process that {@code before} did not have. */
  private static long newMemfds(Map<String, Path> before) {
    return OpenDescriptors.memfds(OpenDescriptors.since(before, OpenDescriptors.own())).size();
  }
}
