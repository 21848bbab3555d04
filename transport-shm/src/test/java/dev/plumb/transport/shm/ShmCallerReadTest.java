package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ServerProcess;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blocking caller reads its own answer from the ring ({@code ConsumerTurn}): gRPC hears the
 * call's trailers on the caller's thread rather than on the connection's reader (not with
 * {@code idle=spin}, whose reader keeps its core), and a channel shut down while callers hold
 * the turn ends their calls and its threads, with the segment released under none of them. The
 * server runs in its own JVM.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShmCallerReadTest {
  private static final int CALLS = 200;

  @TempDir
  Path sockets;
  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  @Test
  void aBlockingCallerReadsItsOwnAnswerUnlessTheReaderSpins() throws Exception {
    ServerProcess server = cleanup.add(ServerProcess.start("shm://" + sockets.resolve("s.sock")));
    for (String idle : new String[] {"backoff", "spin"}) {
      ManagedChannel channel = cleanup.add(PlumbChannelBuilder
          .forTarget(server.address() + "?idle=" + idle).build());
      Thread caller = Thread.currentThread();
      List<Thread> readers = new ArrayList<>();
      ClientStreamTracer.Factory tracing = new ClientStreamTracer.Factory() {
        @Override
        public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info,
            Metadata headers) {
          return new ClientStreamTracer() {
            @Override
            public void inboundTrailers(Metadata trailers) {
              synchronized (readers) {
                readers.add(Thread.currentThread());  // Where gRPC heard the call's end.
              }
            }
          };
        }
      };
      ConformanceGrpc.ConformanceBlockingStub stub = ConformanceGrpc.newBlockingStub(channel)
          .withInterceptors(new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
                CallOptions options, Channel next) {
              return next.newCall(method, options.withStreamTracerFactory(tracing));
            }
          });
      for (int i = 0; i < CALLS; i++) {
        String payload = "call " + i;
        assertEquals(payload, stub.unary(EchoRequest.newBuilder()
            .setPayload(ByteString.copyFromUtf8(payload)).build()).getPayload().toStringUtf8());
      }
      long onCaller;
      synchronized (readers) {
        assertEquals(CALLS, readers.size());
        onCaller = readers.stream().filter(t -> t == caller).count();
        assertTrue(readers.stream().allMatch(t -> t == caller
            || t.getName().matches("plumb-shm:.*-reader")), "read elsewhere: " + readers);
      }
      System.out.printf("shm: idle=%s: %d of %d answers read by their blocking caller%n", idle,
          onCaller, CALLS);
      if (idle.equals("backoff")) {
        assertTrue(onCaller > 0, "no blocking caller read its own answer");
      } else {
        assertEquals(0, onCaller, "idle=spin: the reader reads every answer");
      }
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    ConnectionThreads.awaitNone(5_000);
  }

  /**
   * Callers on two threads make blocking calls until a third thread shuts the channel down
   * under them: each ends with a status, none hangs or crashes the JVM (the segment is unmapped
   * only once no caller holds the turn), and the connection's threads end.
   */
  @Test
  void shuttingDownUnderBlockingCallersEndsTheirCallsAndThreads() throws Exception {
    ServerProcess server = cleanup.add(ServerProcess.start("shm://" + sockets.resolve("d.sock")));
    ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget(server.address())
        .build());
    ConformanceGrpc.ConformanceBlockingStub stub = ConformanceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS);
    CountDownLatch calling = new CountDownLatch(2 * 100);
    Set<Status.Code> endings = ConcurrentHashMap.newKeySet();
    AtomicReference<String> wrong = new AtomicReference<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<CompletableFuture<Void>> callers = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        callers.add(CompletableFuture.runAsync(
            () -> callUntilStopped(stub, calling, endings, wrong), pool));
      }
      assertTrue(calling.await(30, TimeUnit.SECONDS), "the callers did not get going");
      channel.shutdownNow();
      CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new))
          .get(10, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(null, wrong.get());
    assertTrue(EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.CANCELLED).containsAll(endings),
        "calls ended with " + endings);
    assertTrue(channel.awaitTermination(10, TimeUnit.SECONDS));
    ConnectionThreads.awaitNone(5_000);
  }

  /** Blocking calls, each checked, until one fails; keeps how it failed. */
  private static void callUntilStopped(ConformanceGrpc.ConformanceBlockingStub stub,
      CountDownLatch calling, Set<Status.Code> endings, AtomicReference<String> wrong) {
    try {
      for (int i = 0; ; i++) {
        String payload = Thread.currentThread().getName() + " " + i;
        String echoed = stub.unary(EchoRequest.newBuilder()
            .setPayload(ByteString.copyFromUtf8(payload)).build()).getPayload().toStringUtf8();
        if (!payload.equals(echoed)) {
          wrong.set(payload + " came back as " + echoed);
          return;
        }
        calling.countDown();
      }
    } catch (StatusRuntimeException e) {
      endings.add(e.getStatus().getCode());
    }
  }
}
