/**
 * The {@code shm:} transport: the Plumb protocol over two single-producer/single-consumer rings
 * in a shared-memory segment per connection, set up over a Unix socket
 * ({@link dev.plumb.transport.unix.UnixRendezvous}) that also carries doorbells and tells each
 * side of the other's death. Found by the core through {@code ServiceLoader}; applications name
 * it only in targets and listen addresses.
 *
 * <p>{@link SpscRing} and {@link RingDescriptor} are public for the benchmarks module's JMH
 * benchmark of the ring and the {@code transport-shm-stress} module's jcstress tests of its
 * memory ordering; {@link SegmentDescriptor} is public but has no user outside this
 * package. None of the three is an API with a compatibility promise, and the rest is
 * package-private.
 */
package dev.plumb.transport.shm;
