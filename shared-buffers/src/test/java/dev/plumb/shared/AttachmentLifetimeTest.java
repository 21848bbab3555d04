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
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
      long baseline = ownMemfds();
      String target = server.getListenSockets().get(0).toString();
      Process client = new ProcessBuilder(JavaCommand.of(List.of(),
          UploadClientMain.class.getName(), List.of(target, Long.toString(256L << 20))))
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
        assertEquals("SENDING", out.readLine());
        // The copy's memfd appears with the ATTACH; its bytes take a while to follow.
        awaitTrue(() -> ownMemfds() > baseline ? 1 : 0, "the server never began a copy");
        assertTrue(client.isAlive(), "the client finished before it could be killed");
        client.destroyForcibly();
        client.waitFor();
      }
      assertEquals("CANCELLED", ended.get(30, TimeUnit.SECONDS));
      awaitTrue(() -> ownMemfds() == baseline ? 1 : 0,
          "the server still holds the dead client's copy");
      assertEquals(List.of(), descriptorsInDevShm(ProcessHandle.current().pid()));
    } finally {
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /**
   * 200 buffers handed over by descriptor ({@code unix:}) and held at once by the client, then
   * let go: the server's descriptor count and the client's memfds come back to where they
   * were.
   */
  @Test
  void twoHundredBuffersInFlightThenReleasedLeaveNoDescriptorBehind() throws Exception {
    try (ServerProcess server = ServerProcess.start("server", JavaCommand.of(List.of(),
        SharedServerMain.class.getName(), List.of("unix://" + directory.resolve("s.sock"))),
        Duration.ofSeconds(30), Duration.ofSeconds(10))) {
      ManagedChannel channel = PlumbChannelBuilder.forTarget(server.address()).build();
      try {
        ChecksumsGrpc.ChecksumsBlockingStub stub = ChecksumsGrpc.newBlockingStub(channel);
        // This JVM's other descriptors come and go with other tests: its memfds are the
        // measure, after a first round, so that what it loads and opens once is in the
        // baselines, and after the messages other tests left to the collector are gone.
        long before = ownMemfds();
        stub.make(MakeRequest.newBuilder().setSize(1).build());
        awaitTrue(() -> ownMemfds() <= before ? 1 : 0, "the first round's buffer stays");
        long ownBaseline = ownMemfds();
        long serverBaseline = descriptors(server.pid());

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
        assertTrue(ownMemfds() >= ownBaseline + 200, "the 200 buffers are held here");
        awaitTrue(() -> descriptors(server.pid()) == serverBaseline ? 1 : 0,
            "the server let go of what it sent once its call ended");

        held.clear();
        made = null;
        awaitTrue(() -> ownMemfds() <= ownBaseline ? 1 : 0,
            "the client let go of the buffers once their messages were garbage");
        assertEquals(List.of(), descriptorsInDevShm(ProcessHandle.current().pid()));
        assertEquals(List.of(), descriptorsInDevShm(server.pid()));
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

  private static long ownMemfds() {
    return linksOf(ProcessHandle.current().pid()).stream()
        .filter(link -> link.startsWith("/memfd:" + Memfd.NAME)).count();
  }

  private static long descriptors(long pid) {
    return linksOf(pid).size();
  }

  private static List<String> descriptorsInDevShm(long pid) {
    return linksOf(pid).stream().filter(link -> link.startsWith("/dev/shm/")).toList();
  }

  private static List<String> linksOf(long pid) {
    List<String> links = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Paths.get("/proc/" + pid + "/fd"))) {
      fds.forEach(fd -> {
        try {
          links.add(Files.readSymbolicLink(fd).toString());
        } catch (IOException e) {
          // Closed while listed (the listing's own, say).
        }
      });
    } catch (IOException e) {
      throw new AssertionError("cannot list the descriptors of " + pid, e);
    }
    return links;
  }
}
