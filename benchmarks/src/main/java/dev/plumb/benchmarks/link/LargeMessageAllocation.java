package dev.plumb.benchmarks.link;

import com.google.protobuf.ByteString;
import dev.plumb.benchmarks.proto.EchoGrpc;
import dev.plumb.benchmarks.proto.Payload;
import dev.plumb.benchmarks.server.EchoService;
import dev.plumb.benchmarks.server.ProcessMeter;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bytes allocated by all threads per echoed 256 KiB message, client and server in this JVM
 * (both on {@code directExecutor()}), one bidi stream per round with at most 8 messages in
 * flight, over {@code tcp:}, {@code unix:} and {@code shm:}. Each received message's parse
 * allocates its {@code bytes} field (262 KB), twice per echo; anything beyond is what the
 * path allocates besides, e.g. payload arrays the pool failed to lend. A load-proof figure,
 * unlike the CPU it also prints (which includes the polling of idle strategies).
 *
 * <pre>{@code java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar \
 *     dev.plumb.benchmarks.link.LargeMessageAllocation [messages per round]}</pre>
 */
public final class LargeMessageAllocation {
  private static final int SIZE = 256 * 1024;
  private static final int ROUNDS = 5;
  private static final int IN_FLIGHT = 8;

  private LargeMessageAllocation() {}

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    Path dir = Files.createTempDirectory("plumb-alloc");
    try {
      for (String listen : List.of("tcp://127.0.0.1:0", "unix://" + dir.resolve("u.sock"),
          "shm://" + dir.resolve("s.sock"))) {
        measure(listen, messages);
      }
    } finally {
      try (var files = Files.list(dir)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
      }
      Files.delete(dir);
    }
  }

  private static void measure(String listen, int messages) throws Exception {
    Server server = PlumbServerBuilder.forAddress(listen).directExecutor()
        .addService(new EchoService()).build().start();
    ManagedChannel channel = PlumbChannelBuilder
        .forTarget(server.getListenSockets().get(0).toString()).directExecutor().build();
    try {
      Payload message = Payload.newBuilder().setData(ByteString.copyFrom(new byte[SIZE])).build();
      for (int round = 0; round < ROUNDS; round++) {
        ProcessMeter.Reading before = ProcessMeter.read();
        echo(channel, message, messages);
        ProcessMeter.Reading spent = ProcessMeter.read().minus(before);
        System.out.printf("%s round %d: %,d B allocated, %.1f µs process CPU per echo%n",
            listen.substring(0, listen.indexOf(':')), round + 1,
            spent.allocatedBytes() / messages, spent.cpuNanos() / 1000.0 / messages);
      }
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** One bidi stream of {@code messages} echoes of {@code message}. */
  private static void echo(ManagedChannel channel, Payload message, int messages)
      throws Exception {
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<Payload> requests = EchoGrpc.newStub(channel).stream(new StreamObserver<>() {
      @Override
      public void onNext(Payload echo) {
        inFlight.release();
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
        inFlight.release(IN_FLIGHT);
      }

      @Override
      public void onCompleted() {
        done.complete(null);
      }
    });
    for (int i = 0; i < messages && !done.isDone(); i++) {
      inFlight.acquire();
      requests.onNext(message);
    }
    requests.onCompleted();
    done.get(60, TimeUnit.SECONDS);
  }
}
