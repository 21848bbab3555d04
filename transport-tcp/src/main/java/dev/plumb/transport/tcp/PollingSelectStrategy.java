package dev.plumb.transport.tcp;

import dev.plumb.rpc.idle.IdleBudget;
import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;

/**
 * The event loops' select strategy of {@code idle=poll}: after the loop last had work, it asks
 * epoll without blocking, spinning or yielding between the asks as the machine's
 * {@link IdleBudget} allows, and blocks in epoll only once the budget is spent. Bytes that
 * arrive while it polls are read at once, without the loop having to be woken (a wake-up costs
 * tens of microseconds on a virtual machine); an idle connection blocks after a fraction of a
 * millisecond and costs no CPU.
 *
 * <p>Netty asks the factory for one strategy per event loop, and only that loop's thread calls
 * it, so its state needs no synchronisation.
 */
final class PollingSelectStrategy implements SelectStrategy {
  static final SelectStrategyFactory FACTORY = () -> new PollingSelectStrategy(IdleBudget.MACHINE);

  private final IdleBudget budget;
  /** When the loop last found nothing to do; 0 while it has work. */
  private long idleSince;

  PollingSelectStrategy(IdleBudget budget) {
    this.budget = budget;
  }

  @Override
  public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
    int ready = selectNow.get();
    if (ready > 0 || hasTasks) {
      idleSince = 0;
      return ready;
    }
    long now = System.nanoTime();
    if (idleSince == 0) {
      idleSince = now;
    }
    IdleBudget.Phase phase = budget.phase(now - idleSince);
    if (phase == IdleBudget.Phase.SLEEP) {
      // After the blocking select returns the loop has work again: poll afresh from then on.
      idleSince = 0;
      return SelectStrategy.SELECT;
    }
    IdleBudget.pause(phase);
    return SelectStrategy.CONTINUE;
  }
}
