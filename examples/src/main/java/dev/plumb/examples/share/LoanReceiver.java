package dev.plumb.examples.share;

import dev.plumb.shared.SharedBufferView;
import dev.plumb.shared.SharedBuffers;
import io.grpc.Channel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A consumer's side of one {@code Lend} call: borrows the whole data set as one shared buffer
 * and reads its own chunks in place, chunk {@code i} at {@link DataSet#offsetOf}, in order,
 * into the same account as a streamed share ({@link ShareTally}). The time runs from the call's
 * start to the last chunk summed, so it includes opening and mapping the buffer and the first
 * touch of its pages. The bytes are judged, as for {@code Take}, by comparing the checksum with
 * {@link DataSet#checksumOf}.
 */
public final class LoanReceiver {
  private LoanReceiver() {}

  /**
   * Borrows the data set over {@code channel} and sums share {@code consumer} of
   * {@code consumers}.
   *
   * @throws io.grpc.StatusRuntimeException if the call failed
   */
  public static ShareReceiver.Received take(Channel channel, DataSet data, int consumer,
      int consumers, Duration deadline) {
    ShareTally tally = new ShareTally();
    tally.start();
    Loan loan = ShareGrpc.newBlockingStub(channel)
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .lend(data.request(consumer, consumers));
    try (SharedBufferView view = SharedBuffers.open(loan.getData())) {
      if (view.length() != data.sizeBytes()) {
        return tally.finish("the loan has " + view.length() + " bytes; the data set has "
            + data.sizeBytes());
      }
      // One mapping of the whole buffer: a loan is at most DataSet.MAX_LENT_BYTES, which one
      // ByteBuffer holds.
      ByteBuffer whole = view.buffer();
      for (long i = consumer; i < data.chunkCount(); i += consumers) {
        tally.add(whole.slice((int) data.offsetOf(i), data.chunkLength(i)));
      }
    } catch (IOException e) {
      return tally.finish("cannot open the loan: " + e.getMessage());
    }
    return tally.finish(null);
  }
}
