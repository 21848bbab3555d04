package dev.plumb.transport.shm.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.plumb.transport.shm.SpscRing;
import java.nio.ByteBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Freed space is reused only after the consumer is done with it: on a full ring, the consumer
 * reads the first record and publishes {@code head} with a release store; the producer loads
 * {@code head} with an acquire load and, if it now has room, writes a new record over the
 * first. Result: r1 = the first int the consumer read, r2 = whether the producer wrote over it.
 */
@JCStressTest
@Description("shm: ring, a record's bytes are not overwritten before the reader is done")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "The writer found no room yet")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "The writer reused the space after the read")
@Outcome(expect = FORBIDDEN, desc = "The reader saw bytes written over a record it was reading")
@State
public class SpaceReuse {
  private static final int OLD = 1;
  private static final int NEW = 3;

  private final RingUnderTest ring = RingUnderTest.full(OLD, 2);
  private final SpscRing.RecordHandler recorder = this::record;
  private int seen = -1;

  private void record(ByteBuffer payload) {
    seen = payload.getInt(0);
  }

  @Actor
  public void reader(II_Result r) {
    ring.consumer.poll(recorder, 1);
    r.r1 = seen;
  }

  @Actor
  public void writer(II_Result r) {
    r.r2 = RingUnderTest.publish(ring.producer, RingUnderTest.HALF_RING_PAYLOAD, NEW) ? 1 : 0;
  }
}
