package dev.plumb.transport.shm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One "I am about to sleep" word of a ring ({@link RingDescriptor#CONSUMER_SLEEPS_OFFSET} or
 * {@link RingDescriptor#PRODUCER_WAITS_OFFSET}) and the memory ordering of the doorbell
 * handshake around it. No I/O and no parking: {@link SpscRing} pairs each call with its ring
 * counter, {@link RingWaits} parks, the connection rings.
 *
 * <p>The handshake is Dekker's, between a sleeper S and a waker W:
 * <pre>
 *   S: flag = 1 (volatile); full fence; load counter (the re-check); park if still idle
 *   W: store counter (release, the publish); full fence; load flag; ring if 1 (taken by CAS)
 * </pre>
 * Each side stores its own word, then loads the other's, with a full fence between. The two
 * fences are ordered one before the other, and the load after the later fence sees the store
 * before the earlier one: S's re-check sees W's counter, or W sees S's flag (or both).
 * The outcome "S parks (re-check saw nothing) and W does not ring (saw flag 0)", a lost
 * wake-up, is impossible. Without the fences it is allowed: each store may wait in its CPU's
 * store buffer while the later load is served from memory (store-load reordering, which x86
 * does too), or the JIT may move the load up. The jcstress tests in the
 * {@code transport-shm-stress} module check exactly this outcome against the real ring.
 *
 * <p>Cost: the sleeper's two barriers are on the way to a park, rare. The waker's fence runs
 * once per publishing pass (a flush, a poll batch), not per record; it is the price of never
 * losing a wake-up without a system call on the busy path.
 */
final class WakeUpFlag {
  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private final ByteBuffer buffer;
  private final int offset;

  /** @param buffer the ring's memory, position 0 at the ring's start */
  WakeUpFlag(ByteBuffer buffer, int offset) {
    this.buffer = buffer;
    this.offset = offset;
  }

  /** Sleeper: announces that it is about to sleep. The caller's re-check must follow. */
  void announce() {
    LONGS.setVolatile(buffer, offset, 1L);
    // Store-load barrier. The volatile store alone would not do: the re-check is an acquire
    // load, and a volatile store may be reordered with a later non-volatile load.
    VarHandle.fullFence();
  }

  /** Sleeper: it is awake again (woken, or its re-check found work). */
  void clear() {
    LONGS.setVolatile(buffer, offset, 0L);
  }

  /**
   * Waker, after its release store of the ring counter: whether the other side announced. True
   * at most once per announcement: the flag is taken with a CAS of 1 to 0, so repeated
   * publishes ring once, and a word the peer set to anything else rings nothing.
   */
  boolean take() {
    // Store-load barrier: the counter just published is visible before the flag is read.
    VarHandle.fullFence();
    return (long) LONGS.getVolatile(buffer, offset) != 0L
        && LONGS.compareAndSet(buffer, offset, 1L, 0L);
  }
}
