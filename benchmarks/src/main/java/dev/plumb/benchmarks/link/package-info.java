/**
 * Link-level comparisons run by hand, not by JMH: two ways of doing one thing, measured in one
 * JVM in alternating rounds of round trips, below gRPC ({@code IoModelBenchmark} for
 * {@code unix:}'s I/O model, {@code ShmFlushBenchmark} for where {@code shm:} copies frames into
 * its ring). docs/TRANSPORTS.md has their results, docs/BENCHMARKS.md how to run them.
 * {@code LargeMessageAllocation} counts, over whole RPCs, the bytes a large message allocates
 * (docs/BENCHMARKS.md, "Copies of a large message").
 */
package dev.plumb.benchmarks.link;
