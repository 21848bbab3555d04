/**
 * jcstress tests of the {@code shm:} ring's memory ordering, run on the transport's own
 * {@link dev.plumb.transport.shm.SpscRing} over a direct buffer: the doorbell handshake in both
 * directions ({@link ConsumerSleepHandshake}, {@link ProducerWaitHandshake}) and the publication
 * of records and of freed space ({@link RecordPublication}, {@link SpaceReuse}).
 * {@link JcstressRunTest} runs them from the build and fails it on a forbidden outcome.
 */
package dev.plumb.transport.shm.stress;
