package dev.plumb.rpc.spi;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A way to move frames between processes, for one or more URI schemes. Implementations are
 * found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.plumb.rpc.spi.PlumbTransport}) and must have a public
 * no-argument constructor. They know nothing of calls, methods or protobuf.
 *
 * <p>Thread-safe: one instance serves every channel and server in the process.
 */
public interface PlumbTransport {
  /** The URI schemes this transport serves, lower case, e.g. {@code tcp}. */
  Set<String> schemes();

  /**
   * Checks a target or listen URI of one of {@link #schemes()} and returns its canonical
   * address.
   *
   * @throws IllegalArgumentException naming what is wrong and the accepted form
   */
  PlumbAddress parse(URI uri);

  /**
   * Whether this transport's addresses are {@code scheme://HOST:PORT}, reached by IP address
   * ({@code tcp:}). The core then lets a channel's target list several endpoints
   * ({@code tcp://h1:7000,h2:7000}, or as a path, {@code tcp:///h1:7000,h2:7000}), looks each
   * host up when the channel resolves its target (every IP address of a name becomes an
   * address of its own), and may carry the IP addresses of gRPC's own name resolvers
   * ({@code dns:///name:port}) over this transport. {@link #parse} then sees one endpoint at a
   * time, and must take an IP address wherever it takes a host name. False by default.
   */
  default boolean hostPortAddresses() {
    return false;
  }

  /**
   * Opens a connection to a listening peer. The future completes with a connection that is
   * not yet {@linkplain Connection#start started}, or fails with an {@link IOException} whose
   * message says what could not be reached and why. Cancelling the future abandons the attempt
   * and closes anything it opened.
   */
  CompletableFuture<Connection> connect(PlumbAddress address);

  /**
   * Starts accepting connections at {@code address}, handing each one, not yet started, to
   * {@code onAccept} (from a transport thread; it must not block).
   *
   * @throws IOException if the address cannot be bound; the message names it
   */
  Listener listen(PlumbAddress address, Consumer<Connection> onAccept) throws IOException;

  /**
   * The address at which {@link #listen} serves a listening socket that this process inherited
   * open as descriptor {@code fd} (from systemd's socket activation, or from a parent that
   * passed it), without binding anything; empty if the descriptor is not a socket of this
   * transport's kind, so that the core can ask the next transport. The core calls it for the
   * listen addresses {@code fd:N} and {@code systemd:[NAME]}, at most once per descriptor, and
   * passes the returned address to {@link #listen} and to its TLS acceptor. That address is this
   * transport's own, naming the socket as it is bound, and may carry the descriptor in a form
   * that only {@link #listen} reads ({@link #parse} need not accept it).
   *
   * @param options the address options given with the descriptor ({@code systemd:api?x=y}),
   *     a raw query as this transport's listen addresses take them; null for none
   * @throws IllegalArgumentException if the socket is of this transport's kind but cannot be
   *     served: it does not listen, or an option is unknown or malformed
   */
  default Optional<PlumbAddress> adopt(int fd, String options) {
    return Optional.empty();
  }

  /**
   * How this transport runs TLS on its links, if it can; empty (the default) if it cannot, and
   * the core then refuses TLS credentials for its schemes rather than carry calls in plaintext.
   */
  default Optional<TlsSupport> tls() {
    return Optional.empty();
  }
}
