package dev.plumb.demo;

import dev.plumb.examples.buffer.BoundedBufferGrpc;
import dev.plumb.examples.buffer.BufferService;
import dev.plumb.examples.buffer.Consumed;
import dev.plumb.examples.buffer.FillSummary;
import dev.plumb.examples.buffer.Producer;
import io.grpc.Channel;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The producer/consumer example in the demo, against the daemon's {@link BufferService} (a
 * buffer of {@value BufferService#DEFAULT_CAPACITY} and a consumer that takes 1 ms per item):
 * the producer sends as fast as flow control lets it, first with {@code Exchange} (bidi, each
 * item acknowledged when consumed), then with {@code Fill} (client streaming). Every item must
 * be consumed in order, the buffer must never hold more than its capacity, the producer must
 * have waited for on-ready, and it must never have had all its items out ahead of the consumer.
 *
 * <p>The lead shown is measured against the acknowledgements that have reached the producer,
 * so it is flow control's bound ({@link #FLOW_CONTROL_BOUND}) plus the acknowledgements still
 * on their way back, which a busy machine delays without limit. The demo therefore shows it
 * beside the bound but does not judge it by the bound; {@code BufferServiceTest} does, with
 * the consumer's exact count in the same JVM.
 */
final class BufferChecks {
  static final int PAYLOAD_BYTES = 16 * 1024;
  /** Plumb's default per-call window, which the daemon keeps. */
  static final int SERVER_WINDOW = 1024 * 1024;
  /** gRPC's on-ready threshold: a call is not ready while this much waits to be sent. */
  static final int ON_READY_THRESHOLD = 32 * 1024;
  /**
   * The most items the producer can be ahead of the consumer: the buffer, the server's window,
   * the client's send queue, and one each being consumed, deframed and framed.
   */
  static final long FLOW_CONTROL_BOUND = BufferService.DEFAULT_CAPACITY
      + (SERVER_WINDOW + ON_READY_THRESHOLD) / PAYLOAD_BYTES + 3;

  private BufferChecks() {}

  static void run(Channel channel, int items, Checklist checklist, Consumer<String> progress)
      throws InterruptedException {
    // The consumer's pace sets the length of these calls; allow for a slow machine.
    Duration deadline = Duration.ofSeconds(30).plus(BufferService.DEFAULT_PACE.multipliedBy(
        4L * items));
    BoundedBufferGrpc.BoundedBufferStub stub = BoundedBufferGrpc.newStub(channel);

    Producer<Consumed> exchange = new Producer<>(items, PAYLOAD_BYTES, null);
    stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).exchange(exchange);
    Producer.Result<Consumed> acked = await("Exchange", exchange.result(), deadline, checklist);
    if (acked != null) {
      String wrong = null;
      for (int i = 0; i < acked.responses().size() && wrong == null; i++) {
        if (acked.responses().get(i).getSequence() != i + 1) {
          wrong = "acknowledgement " + (i + 1) + " is for item "
              + acked.responses().get(i).getSequence();
        }
      }
      if (acked.responses().size() != items) {
        wrong = items + " items sent, " + acked.responses().size() + " acknowledged";
      }
      progress.accept(String.format("buffer: Exchange: %d items of %d KiB; the producer got at"
          + " most %d items ahead of the consumer's acknowledgements (flow control allows %d,"
          + " acknowledgements in flight add to it) and waited for on-ready %d times",
          acked.sent(), PAYLOAD_BYTES / 1024, acked.maxAhead(), FLOW_CONTROL_BOUND,
          acked.pauses()));
      judge("Exchange", wrong, items, acked, checklist);
    }

    Producer<FillSummary> fill = new Producer<>(items, PAYLOAD_BYTES, null);
    stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).fill(fill);
    Producer.Result<FillSummary> filled = await("Fill", fill.result(), deadline, checklist);
    if (filled != null) {
      FillSummary summary = filled.responses().get(0);
      progress.accept(String.format("buffer: Fill: %d items consumed; the buffer held at most"
          + " %d of %d; the producer waited for on-ready %d times", summary.getItems(),
          summary.getMaxBuffered(), summary.getCapacity(), filled.pauses()));
      String wrong = null;
      if (summary.getItems() != items
          || summary.getPayloadBytes() != (long) items * PAYLOAD_BYTES) {
        wrong = "sent " + items + " items, the consumer took " + summary.getItems() + " ("
            + summary.getPayloadBytes() + " bytes)";
      } else if (summary.getMaxBuffered() > summary.getCapacity()) {
        wrong = "the buffer held " + summary.getMaxBuffered() + " items, more than its "
            + summary.getCapacity();
      }
      // Fill has no acknowledgements: its lead is not measured, only its pauses.
      judge("Fill", wrong, items, new Producer.Result<>(filled.sent(), 0, filled.pauses(),
          filled.responses()), checklist);
    }
  }

  private static void judge(String call, String wrong, int items, Producer.Result<?> result,
      Checklist checklist) {
    if (wrong == null && result.maxAhead() >= items) {
      wrong = "the producer had all " + items + " items out before the consumer acknowledged"
          + " one: nothing held it back";
    }
    if (wrong == null && result.pauses() == 0) {
      wrong = "the producer never waited for on-ready: the slow consumer did not hold it back";
    }
    if (wrong == null) {
      checklist.pass();
    } else {
      checklist.fail(call + ": " + wrong);
    }
  }

  private static <T> T await(String call, CompletableFuture<T> result, Duration deadline,
      Checklist checklist) throws InterruptedException {
    try {
      return result.get(deadline.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      checklist.fail(call + ": " + CalculatorChecks.describe(Status.fromThrowable(e.getCause())));
    } catch (TimeoutException e) {
      checklist.fail(call + ": neither completed nor failed after its deadline");
    }
    return null;
  }
}
