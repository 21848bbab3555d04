package dev.plumb.transport.shm.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.plumb.transport.shm.SpscRing;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * The doorbell handshake of a writer going to sleep on a full ring: the consumer frees a
 * half-ring record and then asks whether the producer announced that it waits (what the reader
 * does after a poll), while the producer, which needs half the ring, announces and re-checks
 * the room (what the writer thread does before it parks). Result: r1 = the consumer rings,
 * r2 = the producer sleeps (its re-check found no room).
 */
@JCStressTest
@Description("shm: ring, writer waits for space vs. reader frees it: no lost wake-up")
@Outcome(id = "false, true", expect = FORBIDDEN,
    desc = "Lost wake-up: the writer sleeps on space that was freed and the reader does not ring")
@Outcome(id = "true, true", expect = ACCEPTABLE,
    desc = "The writer sleeps; the reader saw its announcement and rings")
@Outcome(id = "false, false", expect = ACCEPTABLE,
    desc = "The writer's re-check saw the freed space; no doorbell is needed")
@Outcome(id = "true, false", expect = ACCEPTABLE,
    desc = "The re-check saw the space and the reader rings anyway: a spare doorbell")
@State
public class ProducerWaitHandshake {
  private static final SpscRing.RecordHandler IGNORE = payload -> { };
  private final RingUnderTest ring = RingUnderTest.full(1, 2);

  @Actor
  public void reader(ZZ_Result r) {
    ring.consumer.poll(IGNORE, 1);
    r.r1 = ring.consumer.takeProducerWaits();
  }

  @Actor
  public void writer(ZZ_Result r) {
    r.r2 = ring.producer.announceProducerWaitsAndRecheck(RingUnderTest.HALF_RING_PAYLOAD);
  }
}
