package dev.plumb.examples.buffer;

import dev.plumb.examples.ExampleConfiguration;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The producer/consumer example's client: {@code BufferClient TARGET [ITEMS [PAYLOAD_BYTES]]},
 * e.g. {@code BufferClient unix:///tmp/plumb/daemon.sock 400 16384} against a daemon that
 * serves {@link BufferService}. It produces as fast as flow control lets it, first through
 * {@code Exchange} (bidi, each item acknowledged as the consumer takes it), then through
 * {@code Fill} (client streaming), and prints how far ahead of the slow consumer the producer
 * got: a bounded distance, however many items it sends.
 */
public final class BufferClient {
  private BufferClient() {}

  public static void main(String[] args) throws InterruptedException {
    long items = args.length > 1 ? Long.parseLong(args[1]) : 400;
    int payloadBytes = args.length > 2 ? Integer.parseInt(args[2]) : 16 * 1024;
    ManagedChannel channel = ExampleConfiguration.client(args).channelBuilder().build();
    try {
      BoundedBufferGrpc.BoundedBufferStub stub = BoundedBufferGrpc.newStub(channel)
          .withDeadlineAfter(120, TimeUnit.SECONDS);
      Producer<Consumed> exchange = new Producer<>(items, payloadBytes, null);
      stub.exchange(exchange);
      Producer.Result<Consumed> acked = exchange.result().get(125, TimeUnit.SECONDS);
      System.out.printf("exchange: %d items of %d bytes sent; the producer got at most %d items"
          + " ahead of the consumer's acknowledgements and waited for on-ready %d times;"
          + " %d acknowledged%n",
          acked.sent(), payloadBytes, acked.maxAhead(), acked.pauses(),
          acked.responses().size());

      Producer<FillSummary> fill = new Producer<>(items, payloadBytes, () -> 0);
      stub.fill(fill);
      Producer.Result<FillSummary> filled = fill.result().get(125, TimeUnit.SECONDS);
      FillSummary summary = filled.responses().get(0);
      System.out.printf("fill: %d items consumed, %d payload bytes; the buffer held at most %d"
          + " of %d; the producer waited for on-ready %d times%n", summary.getItems(),
          summary.getPayloadBytes(), summary.getMaxBuffered(), summary.getCapacity(),
          filled.pauses());
    } catch (ExecutionException | TimeoutException e) {
      Status status = Status.fromThrowable(e instanceof ExecutionException ? e.getCause() : e);
      System.err.println("failed: " + status.getCode() + ": " + status.getDescription());
      System.exit(2);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
