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
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A record's bytes are visible once its tail is: the producer writes a record's length header
 * and payload with plain stores and publishes {@code tail} with a release store; the consumer
 * loads {@code tail} with an acquire load and reads the record. Result: r1 = records the poll
 * handled, r2 = the payload length it read, r3 = the payload's first int (-1, -1 if none).
 */
@JCStressTest
@Description("shm: ring, a record's header and payload are visible with its tail")
@Outcome(id = "0, -1, -1", expect = ACCEPTABLE, desc = "The poll came before the tail")
@Outcome(id = "1, 8, 1592614637", expect = ACCEPTABLE, desc = "The whole record, as written")
@Outcome(expect = FORBIDDEN, desc = "The tail was seen before the record's bytes")
@State
public class RecordPublication {
  private static final int VALUE = 0x5EED5EED;
  private static final int LENGTH = 8;

  private final RingUnderTest ring = RingUnderTest.empty();
  private final SpscRing.RecordHandler recorder = this::record;
  private int seenLength = -1;
  private int seenValue = -1;

  private void record(ByteBuffer payload) {
    seenLength = payload.remaining();
    seenValue = seenLength >= Integer.BYTES ? payload.getInt(0) : -2;
  }

  @Actor
  public void writer() {
    RingUnderTest.publish(ring.producer, LENGTH, VALUE);
  }

  @Actor
  public void reader(III_Result r) {
    r.r1 = ring.consumer.poll(recorder, 1);
    r.r2 = seenLength;
    r.r3 = seenValue;
  }
}
