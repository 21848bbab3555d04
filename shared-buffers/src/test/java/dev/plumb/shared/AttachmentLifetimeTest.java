package dev.plumb.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.childjvm.JavaCommand;
import dev.plumb.childjvm.ServerProcess;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.shared.testing.Checksum;
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
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What attachments leave behind when processes die or let go: descriptors return to their
 * baseline in every surviving process, and no segment ever has a name in {@code /dev/shm}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AttachmentLifetimeTest {
  @TempDir
  Path directory;

  /**
   * A client killed -9 while the server holds its buffer: over {@code tcp:} while the bytes are
   * still arriving inline, over {@code shm:} once the descriptor came (the service is held
   * until the client is dead, so that its call cannot end first). The server's call ends
   * CANCELLED, and the copy or the mapping of the dead client's segment is gone with it. Over
   * {@code shm:} the descriptor travels beside the ring, so it can come before the server's
   * reader has read the call's headers: the client is killed only once the call has started,
   * else there is no call to end.
   */
  @ParameterizedTest
  @ValueSource(strings = {"tcp://127.0.0.1:0", "shm"})
  void aClientKilledWhileItsBufferIsInFlightLeavesTheServerAsItWas(String listen)
      throws Exception {
    CompletableFuture<String> ended = new CompletableFuture<>();
    CountDownLatch clientDead = new CountDownLatch(1);
    CountDownLatch callStarted = new CountDownLatch(1);
    ServerInterceptor outcome = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
          Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        callStarted.countDown();
        return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
          @Override
          public void onMessage(ReqT message) {
            try {
              clientDead.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            super.onMessage(message);
          }

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
    Server server = PlumbServerBuilder.forAddress(listen.equals("shm")
            ? "shm://" + directory.resolve("s.sock") : listen)
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
        // A copy's memfd appears with the ATTACH, its bytes take a while to follow; a passed
        // descriptor is reopened here as it arrives.
        Collected.await(() -> newMemfds(baseline) > 0, "the server never took the buffer");
        assertTrue(callStarted.await(30, TimeUnit.SECONDS), "the server never started the call");
        assertTrue(client.isAlive(), "the client finished before it could be killed");
        client.destroyForcibly();
        client.waitFor();
      } finally {
        clientDead.countDown();
      }
      assertEquals("CANCELLED", ended.get(30, TimeUnit.SECONDS));
      Collected.await(() -> newMemfds(baseline) == 0,
          "the server still holds the dead client's segment");
      assertEquals(Map.of(), OpenDescriptors.inDevShm(OpenDescriptors.own()));
    } finally {
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /**
   * A server killed -9 while it holds the client's buffer, passed by descriptor over
   * {@code shm:}: the client's call fails UNAVAILABLE, and once it closes its buffer, no memfd
   * of the call is left in it.
   */
  @Test
  void aServerKilledWhileItHoldsTheClientsBufferLeavesTheClientAsItWas() throws Exception {
    ServerProcess server = ServerProcess.start("server", JavaCommand.of(List.of(),
        SharedServerMain.class.getName(), List.of("shm://" + directory.resolve("s.sock"))),
        Duration.ofSeconds(30), Duration.ofSeconds(10));
    ManagedChannel channel = PlumbChannelBuilder.forTarget(server.address()).build();
    try {
      Map<String, Path> baseline = OpenDescriptors.own();
      Map<String, Path> serverBaseline = OpenDescriptors.of(server.pid());
      CompletableFuture<Status> failed = new CompletableFuture<>();
      StreamObserver<Upload> requests = ChecksumsGrpc.newStub(channel).sumAll(
          new StreamObserver<>() {
            @Override
            public void onNext(Checksum value) {}

            @Override
            public void onError(Throwable t) {
              failed.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
              failed.complete(Status.OK);
            }
          });
      try (SharedBuffer buffer = SharedServerMain.filled(1 << 20, 5)) {
        requests.onNext(Upload.newBuilder().setName("held").setData(buffer.seal()).build());
        // The server keeps the message's segment until the message is garbage: it holds it.
        Collected.await(() -> !OpenDescriptors.memfds(OpenDescriptors.since(serverBaseline,
            OpenDescriptors.of(server.pid()))).isEmpty(),
            "the server never took the buffer");
        server.toHandle().destroyForcibly();
        assertEquals(Status.Code.UNAVAILABLE, failed.get(30, TimeUnit.SECONDS).getCode());
      }
      Collected.await(() -> newMemfds(baseline) == 0,
          "the client still holds a descriptor of its buffer");
      assertEquals(Map.of(), OpenDescriptors.inDevShm(OpenDescriptors.own()));
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      server.close();
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
        Collected.await(() -> newMemfds(before) == 0, "the first round's buffer stays");
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
        Collected.await(() -> OpenDescriptors.since(serverBaseline,
            OpenDescriptors.of(server.pid())).isEmpty(),
            "the server let go of what it sent once its call ended");

        held.clear();
        made = null;
        Collected.await(() -> newMemfds(ownBaseline) == 0,
            "the client let go of the buffers once their messages were garbage");
        assertEquals(Map.of(), OpenDescriptors.inDevShm(OpenDescriptors.own()));
        assertEquals(Map.of(), OpenDescriptors.inDevShm(OpenDescriptors.of(server.pid())));
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Shared buffers' memfds open in this process that {@code before} did not have. */
  private static long newMemfds(Map<String, Path> before) {
    return OpenDescriptors.memfds(OpenDescriptors.since(before, OpenDescriptors.own())).size();
  }
}
