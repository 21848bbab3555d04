package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import dev.plumb.rpc.spi.TlsSupport;
import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.ChoiceChannelCredentials;
import io.grpc.ChoiceServerCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which credentials reach a transport, and which are refused and why: gRPC's credential types
 * on a transport with TLS and on one without, with features the transport does not implement,
 * in a choice, and kinds Plumb does not take.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TransportSecurityTest {
  private static final PlumbAddress TLS_ADDRESS = new PlumbAddress(URI.create("tls-test://h:1"));
  private static final PlumbAddress PLAIN_ADDRESS = new PlumbAddress(URI.create("plain:x"));

  /** A transport whose TLS records what it was given; it implements MTLS only. */
  private static final class TlsCapable implements PlumbTransport, TlsSupport {
    final List<Object> given = new ArrayList<>();
    final List<String> connectedWith = new ArrayList<>();

    @Override
    public Set<String> schemes() {
      return Set.of("tls-test");
    }

    @Override
    public PlumbAddress parse(URI uri) {
      return new PlumbAddress(uri);
    }

    @Override
    public CompletableFuture<Connection> connect(PlumbAddress address) {
      connectedWith.add("plaintext " + address);
      return new CompletableFuture<>();
    }

    @Override
    public Listener listen(PlumbAddress address, Consumer<Connection> onAccept) {
      throw new AssertionError("listened in plaintext");
    }

    @Override
    public Optional<TlsSupport> tls() {
      return Optional.of(this);
    }

    @Override
    public Set<TlsChannelCredentials.Feature> channelFeatures() {
      return EnumSet.of(TlsChannelCredentials.Feature.MTLS);
    }

    @Override
    public Set<TlsServerCredentials.Feature> serverFeatures() {
      return EnumSet.of(TlsServerCredentials.Feature.MTLS);
    }

    @Override
    public Connector connector(TlsChannelCredentials credentials) {
      given.add(credentials);
      return (address, authority) -> {
        connectedWith.add("tls " + address + " as " + authority);
        return new CompletableFuture<>();
      };
    }

    @Override
    public Acceptor acceptor(TlsServerCredentials credentials) {
      given.add(credentials);
      return (address, onAccept) -> null;
    }
  }

  /** A transport without TLS, as unix:, pipe:, shm: and mem: are. */
  private static final class PlaintextOnly implements PlumbTransport {
    @Override
    public Set<String> schemes() {
      return Set.of("plain");
    }

    @Override
    public PlumbAddress parse(URI uri) {
      return new PlumbAddress(uri);
    }

    @Override
    public CompletableFuture<Connection> connect(PlumbAddress address) {
      return new CompletableFuture<>();
    }

    @Override
    public Listener listen(PlumbAddress address, Consumer<Connection> onAccept) {
      return null;
    }
  }

  private final TlsCapable tlsTransport = new TlsCapable();
  private final PlaintextOnly plainTransport = new PlaintextOnly();

  private static ServerCredentials serverTls() throws IOException {
    // Never parsed on this path: the transport reads the key and chain.
    return TlsServerCredentials.create(new ByteArrayInputStream(new byte[] {1}),
        new ByteArrayInputStream(new byte[] {2}));
  }

  @Test
  void insecureCredentialsArePlaintextOnEveryTransport() {
    assertSame(ChannelSecurity.PLAINTEXT, ChannelSecurity.of(InsecureChannelCredentials.create(),
        tlsTransport, "tls-test"));
    assertSame(ListenSecurity.PLAINTEXT, ListenSecurity.of(InsecureServerCredentials.create(),
        plainTransport, "plain"));
    ChannelSecurity.PLAINTEXT.connect(tlsTransport, TLS_ADDRESS, "h:1");
    assertEquals(List.of("plaintext tls-test://h:1"), tlsTransport.connectedWith);
  }

  @Test
  void tlsCredentialsReachATransportWithTlsWhichConnectsWithTheAuthority() {
    ChannelCredentials credentials = TlsChannelCredentials.create();
    ChannelSecurity security = ChannelSecurity.of(credentials, tlsTransport, "tls-test");
    assertTrue(security.isTls());
    assertEquals(List.of(credentials), tlsTransport.given);
    security.connect(tlsTransport, TLS_ADDRESS, "override.example:443");
    assertEquals(List.of("tls tls-test://h:1 as override.example:443"),
        tlsTransport.connectedWith);
  }

  @Test
  void tlsOnATransportWithoutItIsRefusedNotIgnored() throws IOException {
    IllegalArgumentException channel = assertThrows(IllegalArgumentException.class,
        () -> ChannelSecurity.of(TlsChannelCredentials.create(), plainTransport, "plain"));
    assertEquals("the plain: transport cannot run TLS, and Plumb never carries calls in"
        + " plaintext when TLS was asked for; use InsecureChannelCredentials for plain:"
        + " addresses (docs/TRANSPORTS.md says how each transport is secured), or a tcp:"
        + " address for TLS", channel.getMessage());
    ServerCredentials server = serverTls();
    IllegalArgumentException listen = assertThrows(IllegalArgumentException.class,
        () -> ListenSecurity.of(server, plainTransport, "plain"));
    assertTrue(listen.getMessage().startsWith("the plain: transport cannot run TLS")
        && listen.getMessage().contains("use InsecureServerCredentials"), listen.getMessage());
  }

  @Test
  void tlsFeaturesTheTransportDoesNotImplementAreRefusedByName() throws IOException {
    TrustManager trustAll = new X509TrustManager() {
      @Override
      public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String type) {}

      @Override
      public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String type) {}

      @Override
      public java.security.cert.X509Certificate[] getAcceptedIssuers() {
        return new java.security.cert.X509Certificate[0];
      }
    };
    ChannelCredentials customManagers =
        TlsChannelCredentials.newBuilder().trustManager(trustAll).build();
    IllegalArgumentException channel = assertThrows(IllegalArgumentException.class,
        () -> ChannelSecurity.of(customManagers, tlsTransport, "tls-test"));
    assertEquals("TlsChannelCredentials use features that Plumb's tls-test: transport does not"
        + " implement: [CUSTOM_MANAGERS]", channel.getMessage());

    ServerCredentials fake = TlsServerCredentials.newBuilder()
        .keyManager(new ByteArrayInputStream(new byte[] {1}), new ByteArrayInputStream(new byte[] {2}))
        .requireFakeFeature().build();
    IllegalArgumentException server = assertThrows(IllegalArgumentException.class,
        () -> ListenSecurity.of(fake, tlsTransport, "tls-test"));
    assertEquals("TlsServerCredentials use features that Plumb's tls-test: transport does not"
        + " implement: [FAKE]", server.getMessage());
    assertTrue(tlsTransport.given.isEmpty(), "refused credentials must not reach the transport");
  }

  @Test
  void aChoiceTakesTheFirstThatCanBeHonouredOrListsWhyNone() {
    ChannelCredentials tlsThenPlain = ChoiceChannelCredentials.create(
        TlsChannelCredentials.create(), InsecureChannelCredentials.create());
    assertSame(ChannelSecurity.PLAINTEXT,
        ChannelSecurity.of(tlsThenPlain, plainTransport, "plain"));
    assertTrue(ChannelSecurity.of(tlsThenPlain, tlsTransport, "tls-test").isTls());

    ChannelCredentials onlyTls = ChoiceChannelCredentials.create(TlsChannelCredentials.create(),
        TlsChannelCredentials.newBuilder().requireFakeFeature().build());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> ChannelSecurity.of(onlyTls, plainTransport, "plain"));
    assertTrue(none.getMessage().startsWith("none of the credentials to choose from can be used:"
        + " the plain: transport cannot run TLS"), none.getMessage());

    ServerCredentials serverChoice = ChoiceServerCredentials.create(
        InsecureServerCredentials.create());
    assertSame(ListenSecurity.PLAINTEXT, ListenSecurity.of(serverChoice, tlsTransport,
        "tls-test"));
  }

  @Test
  void kindsPlumbDoesNotTakeAreRefusedByName() {
    CallCredentials token = new CallCredentials() {
      @Override
      public void applyRequestMetadata(RequestInfo info, Executor executor,
          MetadataApplier applier) {
        applier.apply(new Metadata());
      }
    };
    IllegalArgumentException composite = assertThrows(IllegalArgumentException.class,
        () -> ChannelSecurity.of(CompositeChannelCredentials.create(
            TlsChannelCredentials.create(), token), tlsTransport, "tls-test"));
    assertTrue(composite.getMessage().contains("do not take CompositeChannelCredentials"),
        composite.getMessage());

    ChannelCredentials other = new ChannelCredentials() {
      @Override
      public ChannelCredentials withoutBearerTokens() {
        return this;
      }
    };
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> ChannelSecurity.of(other, tlsTransport, "tls-test"));
    assertTrue(unknown.getMessage().startsWith("Plumb takes InsecureChannelCredentials,"
        + " TlsChannelCredentials"), unknown.getMessage());
  }

  @Test
  void aTlsChannelNeverConnectsToAnotherSchemeInPlaintext() {
    ChannelSecurity security =
        ChannelSecurity.of(TlsChannelCredentials.create(), tlsTransport, "tls-test");
    CompletableFuture<Connection> attempt =
        security.connect(plainTransport, PLAIN_ADDRESS, "x");
    assertTrue(attempt.isCompletedExceptionally());
    assertTrue(tlsTransport.connectedWith.isEmpty());
  }
}
