package dev.plumb.benchmarks.driver;

import java.time.Duration;
import java.time.Instant;

/**
 * A finished run: its settings, figures, and the circumstances (when, how long, how loaded the
 * machine was) that the report states next to the figures.
 *
 * @param loadBefore the one-minute load average when the run began (-1 if unknown)
 * @param loadAfter the same when it ended
 */
public record Run(Settings settings, Results results, Instant started, Duration elapsed,
    double loadBefore, double loadAfter) {}
