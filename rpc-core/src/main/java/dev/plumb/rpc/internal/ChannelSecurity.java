package dev.plumb.rpc.internal;

import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import dev.plumb.rpc.spi.TlsSupport;
import io.grpc.ChannelCredentials;
import io.grpc.ChoiceChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * How a channel's connections are secured: in plaintext, or with TLS by the target's transport.
 * Chosen once, when the channel builder is made, from gRPC's {@link ChannelCredentials}, so that
 * credentials a transport cannot honour fail there and then. Immutable.
 */
public final class ChannelSecurity {
  static final ChannelSecurity PLAINTEXT = new ChannelSecurity(null, null);
  private static final String ACCEPTED = "InsecureChannelCredentials, TlsChannelCredentials"
      + " (on transports that run TLS) or a ChoiceChannelCredentials of them";

  /** Null in plaintext. */
  private final TlsSupport.Connector tls;
  /** The scheme whose transport made {@link #tls}. */
  private final String scheme;

  private ChannelSecurity(TlsSupport.Connector tls, String scheme) {
    this.tls = tls;
    this.scheme = scheme;
  }

  /**
   * The security {@code credentials} ask for on a channel to a {@code scheme:} target, served by
   * {@code transport}.
   *
   * @throws IllegalArgumentException saying why the credentials cannot be honoured: a kind Plumb
   *     does not take, TLS on a transport that has none, TLS features the transport does not
   *     implement, or keys and certificates it cannot read
   */
  public static ChannelSecurity of(ChannelCredentials credentials, PlumbTransport transport,
      String scheme) {
    if (credentials instanceof InsecureChannelCredentials) {
      return PLAINTEXT;
    }
    if (credentials instanceof TlsChannelCredentials) {
      TlsChannelCredentials tlsCredentials = (TlsChannelCredentials) credentials;
      TlsSupport support = transport.tls().orElseThrow(
          () -> TlsRefusals.noTls(scheme, "InsecureChannelCredentials"));
      Set<TlsChannelCredentials.Feature> missing =
          tlsCredentials.incomprehensible(support.channelFeatures());
      if (!missing.isEmpty()) {
        throw TlsRefusals.incomprehensible("TlsChannelCredentials", scheme, missing);
      }
      return new ChannelSecurity(support.connector(tlsCredentials), scheme);
    }
    if (credentials instanceof ChoiceChannelCredentials) {
      List<String> reasons = new ArrayList<>();
      for (ChannelCredentials choice
          : ((ChoiceChannelCredentials) credentials).getCredentialsList()) {
        try {
          return of(choice, transport, scheme);
        } catch (IllegalArgumentException e) {
          reasons.add(e.getMessage());
        }
      }
      throw TlsRefusals.noChoice(reasons);
    }
    if (credentials instanceof CompositeChannelCredentials) {
      throw new IllegalArgumentException("Plumb channels do not take CompositeChannelCredentials"
          + " yet; give the channel its ChannelCredentials alone and attach the CallCredentials"
          + " to calls (stub.withCallCredentials)");
    }
    throw TlsRefusals.unsupported(credentials, ACCEPTED);
  }

  public boolean isTls() {
    return tls != null;
  }

  /**
   * Connects to {@code address} through {@code transport}, with TLS if asked for; the server's
   * certificate must then name {@code authority}'s host.
   */
  CompletableFuture<Connection> connect(PlumbTransport transport, PlumbAddress address,
      String authority) {
    if (tls == null) {
      return transport.connect(address);
    }
    if (!address.scheme().equals(scheme)) {
      // A name resolver handed over an address of another transport: never downgrade.
      return CompletableFuture.failedFuture(TlsRefusals.noTls(address.scheme(),
          "a channel of its own with InsecureChannelCredentials"));
    }
    return tls.connect(address, authority);
  }
}
