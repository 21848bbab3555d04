package dev.plumb.rpc.kit;

import dev.plumb.rpc.idle.IdleBudget;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A link's input for {@link IdleMode#POLL}: before a read that would block, it asks the link
 * how much it holds ({@link InputStream#available}, one {@code FIONREAD} on a socket) as the
 * machine's {@link IdleBudget} says, spinning with cores to spare and yielding otherwise, and
 * blocks in the read only once the budget's awake phases are over. An answer that arrives
 * within them is read without the reading thread being put to sleep and woken again. Used by
 * the one thread that reads the link.
 */
public final class PollingInputStream extends FilterInputStream {
  private final IdleBudget budget;

  public PollingInputStream(InputStream in, IdleBudget budget) {
    super(in);
    this.budget = budget;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    awaitBytes();
    return in.read(buffer, offset, length);
  }

  @Override
  public int read() throws IOException {
    awaitBytes();
    return in.read();
  }

  /**
   * Returns once the link holds bytes, or the awake phases are over (the read then blocks), or
   * the link cannot say (closed or broken: the read then tells how).
   */
  private void awaitBytes() {
    long start = System.nanoTime();
    try {
      while (in.available() == 0) {
        IdleBudget.Phase phase = budget.phase(System.nanoTime() - start);
        if (phase == IdleBudget.Phase.SLEEP) {
          return;
        }
        IdleBudget.pause(phase);
      }
    } catch (IOException e) {
      // The read that follows meets the same state and reports it.
    }
  }
}
