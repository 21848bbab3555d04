package dev.plumb.rpc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.proto.testing.EchoResponse;
import dev.plumb.proto.testing.ServerInfoRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server in a process of its own that runs its service on the transport's thread
 * ({@code directExecutor()}), for transports whose reader may write what the link takes at
 * once: a unary call wakes the server's reader, not also its writer; and both
 * sides writing MiBs at each other from their readers finish, never deadlock.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class AbstractDirectServerTest {
  /** Enough calls that a thread woken once per call stands out from the odd other wake-up. */
  private static final int CALLS = 1000;
  private static final int MIB = 1024 * 1024;

  protected final Cleanup cleanup = new Cleanup();

  /**
   * A target whose server, in a process of its own, runs {@link ConformanceServerMain} with
   * {@link ConformanceServerMain#DIRECT_EXECUTOR}; a server to stop goes to {@code cleanup}.
   */
  protected abstract String directServerTarget(Cleanup cleanup) throws Exception;

  @AfterEach
  void closeEverything() throws Exception {
    cleanup.close();
  }

  /**
   * The server's reader reads the request, runs the service and writes the response itself:
   * of the server's threads named {@code plumb-*}, only the reader (the busiest) wakes per
   * call. Handing the response to the writer would wake it too.
   */
  @Test
  void aUnaryCallWakesNoServerTransportThreadButTheReader() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "wake-ups are read from /proc");
    ManagedChannel channel =
        cleanup.add(PlumbChannelBuilder.forTarget(directServerTarget(cleanup)).build());
    // No deadline: the server would arm and cancel a timer per call, which is gRPC's work,
    // not the transport's. The test's timeout bounds the calls.
    ConformanceGrpc.ConformanceBlockingStub blocking = ConformanceGrpc.newBlockingStub(channel);
    long pid = blocking.serverInfo(ServerInfoRequest.getDefaultInstance()).getPid();
    EchoRequest request =
        EchoRequest.newBuilder().setPayload(ByteString.copyFrom(new byte[100])).build();
    for (int i = 0; i < CALLS; i++) {
      blocking.unary(request);  // Warm-up: the code compiled, the windows settled.
    }
    Map<String, Long> before = transportWakeUps(pid);
    for (int i = 0; i < CALLS; i++) {
      blocking.unary(request);
    }
    Map<String, Long> woken = transportWakeUps(pid);
    woken.replaceAll((thread, count) -> count - before.getOrDefault(thread, 0L));
    // The busiest is the reader, which blocks in read between calls unless the next request
    // is already there (so it may wake fewer times than there were calls).
    long reader = woken.values().stream().mapToLong(Long::longValue).max().orElse(0);
    long others = woken.values().stream().mapToLong(Long::longValue).sum() - reader;
    assertTrue(woken.size() >= 2, "the connection's reader and writer not found: " + woken);
    assertTrue(others <= CALLS / 10, "besides the busiest (the reader, if it alone woke per"
        + " call), the server's transport threads woke " + others + " times in " + CALLS
        + " calls: " + woken);
  }

  /**
   * Both readers write while the other side's reader is busy writing too: chains of unary
   * calls whose requests and responses a reader writes itself where it may (each under the
   * 16 KiB a thread other than the writer takes on; each next request is sent from the
   * client's reader, the channel's {@code directExecutor()}), enough of them at once to fill
   * the links both ways; beside them, bidi streams with MiB-sized messages that the writers
   * carry. A reader that waited on a full link would deadlock both.
   */
  @Test
  void readersWritingAtEachOtherNeverDeadlock() throws Exception {
    // Not handed to cleanup until the calls are done: shutting down a deadlocked channel
    // would block this thread for good instead of failing the test.
    ManagedChannel direct = PlumbChannelBuilder.forTarget(directServerTarget(cleanup))
        .directExecutor().build();
    ConformanceGrpc.ConformanceStub stub = ConformanceGrpc.newStub(direct)
        .withDeadlineAfter(50, TimeUnit.SECONDS);
    List<CompletableFuture<Integer>> chains = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      chains.add(unaryChain(stub, 16, 15 * 1024));
    }
    for (int i = 0; i < 2; i++) {
      chains.add(bidiChain(stub, 16, MIB));
    }
    for (CompletableFuture<Integer> chain : chains) {
      try {
        assertEquals(16, chain.get(40, TimeUnit.SECONDS));
      } catch (TimeoutException e) {
        throw new AssertionError("stalled: " + chains.stream().filter(CompletableFuture::isDone)
            .count() + " of " + chains.size() + " chains done", e);
      }
    }
    cleanup.add(direct);
  }

  /**
   * A message a reader sends in the middle of a stream leaves once the reader has handed over
   * what it read, though nothing else comes to push it out: the server's reader echoes each
   * small message of a bidi stream, the client's reader sends the next one on each echo
   * ({@code directExecutor()} on both sides), so each side waits for the other's flush.
   */
  @Test
  void aMessageSentByAReaderMidStreamLeavesAfterItsRead() throws Exception {
    ManagedChannel direct = cleanup.add(PlumbChannelBuilder.forTarget(directServerTarget(cleanup))
        .directExecutor().build());
    ConformanceGrpc.ConformanceStub stub = ConformanceGrpc.newStub(direct)
        .withDeadlineAfter(50, TimeUnit.SECONDS);

    assertEquals(CALLS, bidiChain(stub, CALLS, 16).get(50, TimeUnit.SECONDS));
  }

  /**
   * {@code calls} unary calls one after the other, each sending and asking for {@code size}
   * bytes, the next started by the previous one's end; completes with the calls done.
   */
  private static CompletableFuture<Integer> unaryChain(ConformanceGrpc.ConformanceStub stub,
      int calls, int size) {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    EchoRequest request = EchoRequest.newBuilder().setPayload(ByteString.copyFrom(new byte[size]))
        .setResponseSize(size).build();
    AtomicInteger finished = new AtomicInteger();
    StreamObserver<EchoResponse> next = new StreamObserver<>() {
      @Override
      public void onNext(EchoResponse response) {}

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        if (finished.incrementAndGet() == calls) {
          done.complete(calls);
        } else {
          stub.unary(request, this);
        }
      }
    };
    stub.unary(request, next);
    return done;
  }

  /**
   * A bidi stream that sends a message of {@code size} bytes, then another on each echo, up to
   * {@code messages}, and half-closes on the last echo; completes with the echoes received.
   */
  private static CompletableFuture<Integer> bidiChain(ConformanceGrpc.ConformanceStub stub,
      int messages, int size) {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    EchoRequest request =
        EchoRequest.newBuilder().setPayload(ByteString.copyFrom(new byte[size])).build();
    AtomicInteger echoes = new AtomicInteger();
    stub.bidi(new ClientResponseObserver<EchoRequest, EchoResponse>() {
      private ClientCallStreamObserver<EchoRequest> requests;

      @Override
      public void beforeStart(ClientCallStreamObserver<EchoRequest> requests) {
        this.requests = requests;
      }

      @Override
      public void onNext(EchoResponse response) {
        if (echoes.incrementAndGet() < messages) {
          requests.onNext(request);
        } else {
          requests.onCompleted();
        }
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        done.complete(echoes.get());
      }
    }).onNext(request);
    return done;
  }

  /**
   * Voluntary context switches (wake-ups) of process {@code pid}'s threads named
   * {@code plumb-*}, by thread id and name.
   */
  private static Map<String, Long> transportWakeUps(long pid) throws IOException {
    Map<String, Long> wakeUps = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String name = Files.readString(task.resolve("comm")).trim();
          if (name.startsWith("plumb-")) {
            wakeUps.put(task.getFileName() + " " + name,
                voluntarySwitches(Files.readAllLines(task.resolve("status"))));
          }
        } catch (NoSuchFileException ended) {
          // The thread ended since the listing.
        }
      }
    }
    return wakeUps;
  }

  private static long voluntarySwitches(List<String> status) {
    for (String line : status) {
      if (line.startsWith("voluntary_ctxt_switches:")) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    throw new AssertionError("no voluntary_ctxt_switches in " + status);
  }
}
