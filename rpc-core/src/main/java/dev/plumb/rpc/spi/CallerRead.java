package dev.plumb.rpc.spi;

/**
 * A blocking caller's turn at reading its connection, so that the thread waiting for the answer
 * reads the answer itself instead of the connection's reader thread waking it
 * ({@link Connection#startCallerRead}). While the turn lasts, the transport's own reader leaves
 * the link to this thread, and the frames that arrive, for any stream of the connection, are
 * delivered to the {@link ConnectionHandler} from this thread, in order, as the reader would
 * deliver them (with the handler's callbacks, which may run application code). Confined to the
 * thread that started it.
 */
public interface CallerRead extends AutoCloseable {
  /**
   * Delivers what the link holds now to the handler, on this thread; never waits.
   *
   * @return whether anything was delivered
   */
  boolean poll();

  /** Ends the turn: the transport's reader reads again, and nothing the link holds is left. */
  @Override
  void close();
}
