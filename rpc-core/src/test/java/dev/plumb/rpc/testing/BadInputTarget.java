package dev.plumb.rpc.testing;

import java.io.IOException;

/**
 * The server that {@link AbstractBadInputTest} attacks: where raw streams reach it, where a
 * well-behaved channel reaches it, and what "it recovered" means for its transport.
 */
public interface BadInputTarget extends AutoCloseable {
  /** A raw connection to the server, for bytes no well-behaved client would send. */
  RawStream openRaw() throws IOException;

  /** The target a well-behaved channel uses. */
  String channelTarget();

  /**
   * Whether the byte stream begins with the protocol's preface. A transport whose set-up
   * replaces it ({@code shm:}'s greeting) carries frames alone, so a case about the preface
   * does not apply to it.
   */
  boolean hasPreface();

  /**
   * Whether a channel to {@link #channelTarget} reaches the process that served the raw
   * streams, so that a case can ask it (by the conformance service's Outcome) what a call did.
   * Not so for {@code pipe:}, where each connection is a child process of its own.
   */
  boolean sharesServerWithChannels();

  /**
   * Waits, bounded, until the server holds no more than before the case (threads, descriptors,
   * heap; or, for a child per connection, the children are gone), and fails saying what it
   * still holds otherwise.
   */
  void assertRecovered() throws Exception;

  @Override
  void close();
}
