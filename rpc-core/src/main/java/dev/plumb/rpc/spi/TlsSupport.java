package dev.plumb.rpc.spi;

import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What a transport that can run TLS on its links offers the core, through
 * {@link PlumbTransport#tls()}. It takes gRPC's own credential types: the core refuses
 * credentials that ask for a feature missing from {@link #channelFeatures()} or
 * {@link #serverFeatures()} (gRPC's {@code incomprehensible} check) before they get here, and
 * refuses TLS altogether for the schemes of transports that offer none.
 *
 * <p>A TLS link is handed to the core like a plain one, before its TLS handshake: the core's
 * handshake timeout bounds both handshakes, and a server's connection limits count the link from
 * its accept. The transport sends Plumb's preface only after the TLS handshake, delivers no frame
 * before it completed, and reports its {@link javax.net.ssl.SSLSession} under
 * {@link io.grpc.Grpc#TRANSPORT_ATTR_SSL_SESSION} in {@link Connection#attributes()} from then
 * on, which the core takes as {@link io.grpc.SecurityLevel#PRIVACY_AND_INTEGRITY}. A failed TLS
 * handshake closes the connection with an UNAVAILABLE status that says why.
 *
 * <p>Thread-safe, as the transport itself.
 */
public interface TlsSupport {
  /** The features of {@link TlsChannelCredentials} this transport implements. */
  Set<TlsChannelCredentials.Feature> channelFeatures();

  /** The features of {@link TlsServerCredentials} this transport implements. */
  Set<TlsServerCredentials.Feature> serverFeatures();

  /**
   * Reads {@code credentials} once, for one channel: their keys, certificates and trust.
   *
   * @throws IllegalArgumentException naming what cannot be used (a malformed key, say)
   */
  Connector connector(TlsChannelCredentials credentials);

  /**
   * Reads {@code credentials} once, for one listen address.
   *
   * @throws IllegalArgumentException naming what cannot be used
   */
  Acceptor acceptor(TlsServerCredentials credentials);

  /** Opens TLS connections with the credentials it was made of. */
  @FunctionalInterface
  interface Connector {
    /**
     * As {@link PlumbTransport#connect}, with TLS: the server's certificate must be trusted and
     * name {@code authority}'s host (the channel's authority, {@code host:port}, which an
     * application may override), unless the credentials' trust managers decide otherwise.
     */
    CompletableFuture<Connection> connect(PlumbAddress address, String authority);
  }

  /** Accepts TLS connections with the credentials it was made of. */
  @FunctionalInterface
  interface Acceptor {
    /** As {@link PlumbTransport#listen}, with TLS on every accepted connection. */
    Listener listen(PlumbAddress address, Consumer<Connection> onAccept) throws IOException;
  }
}
