package dev.plumb.rpc.kit;

/**
 * How many bytes a link's output takes now without the write waiting for the peer to read:
 * what lets {@link BlockingStreamConnection} write on a thread that must never wait on the
 * link, its reader. A transport supplies it when its medium can tell (a Linux pipe or Unix
 * socket can, through a syscall or two); one that cannot answers {@link #UNKNOWN}, and its
 * reader hands every write to its writer thread.
 */
@FunctionalInterface
public interface LinkRoom {
  /** The answer of a link that cannot tell. */
  long UNKNOWN = -1;

  /** A link that never knows. */
  LinkRoom NEVER_KNOWN = () -> UNKNOWN;

  /**
   * Bytes that one write of at most that many, made now, is taken at once, or {@link #UNKNOWN}.
   * The answer must stay true while the peer reads (reading only makes room) as long as no one
   * else writes to the link: the connection asks while it holds its output, and writes right
   * after. Called under the connection's output lock, on its reader: it must not block.
   * Zero is an answer (the link is full, or could be): not a reason to wait.
   */
  long bytesWritableWithoutBlocking();
}
