package dev.plumb.demo.share;

import dev.plumb.examples.share.ConsumerReport;
import java.util.List;

/**
 * What the share example did over one transport in one mode.
 *
 * @param transport the transport's name, e.g. {@code shm}
 * @param mode how the consumers took their halves
 * @param producerPid the producer's pid, or -1 if it never started
 * @param sizeBytes the data set's size
 * @param consumers the consumers' reports of the median round, in consumer order; fewer if some
 *     failed
 * @param togetherMiBPerSecond both shares' bytes over the time from the first call's start to
 *     the last one's end, in the median round, or NaN if not both consumers reported
 * @param togetherByRound each complete round's together figure, in the order they ran
 * @param makingNanos how long the producer took to make the shared buffer, before the timed
 *     calls; -1 if it made none (streamed) or did not say
 * @param checksPassed answers that were right
 * @param failures what was wrong, one line each
 */
public record ShareResult(String transport, ShareMode mode, long producerPid, long sizeBytes,
    List<ConsumerReport> consumers, double togetherMiBPerSecond, List<Double> togetherByRound,
    long makingNanos, int checksPassed, List<String> failures) {

  public ShareResult {
    consumers = List.copyOf(consumers);
    togetherByRound = List.copyOf(togetherByRound);
    failures = List.copyOf(failures);
  }

  public boolean passed() {
    return failures.isEmpty();
  }

  /** Consumer {@code consumer}'s MiB/s, or NaN if it did not report. */
  public double mibPerSecond(int consumer) {
    return consumers.stream().filter(report -> report.consumer() == consumer)
        .mapToDouble(ConsumerReport::mibPerSecond).findFirst().orElse(Double.NaN);
  }
}
