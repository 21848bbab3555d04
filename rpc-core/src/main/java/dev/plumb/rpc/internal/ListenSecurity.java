package dev.plumb.rpc.internal;

import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import dev.plumb.rpc.spi.TlsSupport;
import io.grpc.ChoiceServerCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How the connections a server accepts at one listen address are secured: in plaintext, or with
 * TLS by the address's transport. Chosen when the address is added to the server builder, from
 * gRPC's {@link ServerCredentials}. Immutable.
 */
public final class ListenSecurity {
  static final ListenSecurity PLAINTEXT = new ListenSecurity(null);
  private static final String ACCEPTED = "InsecureServerCredentials, TlsServerCredentials"
      + " (on transports that run TLS) or a ChoiceServerCredentials of them";

  /** Null in plaintext. */
  private final TlsSupport.Acceptor tls;

  private ListenSecurity(TlsSupport.Acceptor tls) {
    this.tls = tls;
  }

  /**
   * The security {@code credentials} ask for at a {@code scheme:} listen address served by
   * {@code transport}.
   *
   * @throws IllegalArgumentException as {@link ChannelSecurity#of} does
   */
  public static ListenSecurity of(ServerCredentials credentials, PlumbTransport transport,
      String scheme) {
    if (credentials instanceof InsecureServerCredentials) {
      return PLAINTEXT;
    }
    if (credentials instanceof TlsServerCredentials) {
      TlsServerCredentials tlsCredentials = (TlsServerCredentials) credentials;
      TlsSupport support = transport.tls().orElseThrow(
          () -> TlsRefusals.noTls(scheme, "InsecureServerCredentials"));
      Set<TlsServerCredentials.Feature> missing =
          tlsCredentials.incomprehensible(support.serverFeatures());
      if (!missing.isEmpty()) {
        throw TlsRefusals.incomprehensible("TlsServerCredentials", scheme, missing);
      }
      return new ListenSecurity(support.acceptor(tlsCredentials));
    }
    if (credentials instanceof ChoiceServerCredentials) {
      List<String> reasons = new ArrayList<>();
      for (ServerCredentials choice
          : ((ChoiceServerCredentials) credentials).getCredentialsList()) {
        try {
          return of(choice, transport, scheme);
        } catch (IllegalArgumentException e) {
          reasons.add(e.getMessage());
        }
      }
      throw TlsRefusals.noChoice(reasons);
    }
    throw TlsRefusals.unsupported(credentials, ACCEPTED);
  }

  Listener listen(PlumbTransport transport, PlumbAddress address, Consumer<Connection> onAccept)
      throws IOException {
    return tls == null ? transport.listen(address, onAccept) : tls.listen(address, onAccept);
  }

  /** A listen address and how its connections are secured. */
  public record Address(PlumbAddress address, ListenSecurity security) {}
}
