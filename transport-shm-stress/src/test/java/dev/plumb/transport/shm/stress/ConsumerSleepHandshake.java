package dev.plumb.transport.shm.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * The doorbell handshake of a reader going to sleep on an empty ring: the producer commits a
 * record and then asks whether the consumer announced that it sleeps (what a flush does after
 * it copied a frame into the ring), while the consumer announces and re-checks the ring (what
 * the reader does before it parks). The record is claimed and written when the state is made,
 * so that the actors do nothing but the two halves of the handshake and race as closely as
 * they can. Result: r1 = the producer rings, r2 = the consumer sleeps (its re-check found the
 * ring empty, so it did not see the record).
 */
@JCStressTest
@Description("shm: ring, reader sleep vs. writer publish: no lost wake-up")
@Outcome(id = "false, true", expect = FORBIDDEN,
    desc = "Lost wake-up: the reader sleeps without the record and the writer does not ring")
@Outcome(id = "true, true", expect = ACCEPTABLE,
    desc = "The reader sleeps; the writer saw its announcement and rings")
@Outcome(id = "false, false", expect = ACCEPTABLE,
    desc = "The reader's re-check saw the record; no doorbell is needed")
@Outcome(id = "true, false", expect = ACCEPTABLE,
    desc = "The re-check saw the record and the writer rings anyway: a spare doorbell")
@State
public class ConsumerSleepHandshake {
  private final RingUnderTest ring = RingUnderTest.empty();

  public ConsumerSleepHandshake() {
    // The producer role passes to the writer actor with the state, as it passes between a
    // connection's flushing threads with its producer flag.
    ring.producer.tryClaim(Integer.BYTES).putInt(0, 1);
  }

  @Actor
  public void writer(ZZ_Result r) {
    ring.producer.commit();
    r.r1 = ring.producer.takeConsumerSleeps();
  }

  @Actor
  public void reader(ZZ_Result r) {
    r.r2 = ring.consumer.announceConsumerSleepsAndRecheck();
  }
}
