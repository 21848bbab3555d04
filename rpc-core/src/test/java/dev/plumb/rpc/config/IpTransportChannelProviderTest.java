package dev.plumb.rpc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannelProvider.NewChannelBuilderResult;
import java.net.InetSocketAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Without {@code plumb.ipTransport}, the provider through which {@code Grpc.newChannelBuilder}
 * reaches Plumb for {@code dns:} targets declines them, naming the key (transport-tcp's
 * {@code DnsTargetTest} runs it with the key, in a JVM of its own).
 */
@Timeout(10)
class IpTransportChannelProviderTest {
  private final IpTransportChannelProvider provider = new IpTransportChannelProvider();

  @Test
  void itTakesIpAddressesBelowPlumbsOwnProvider() {
    assertEquals(Set.of(InetSocketAddress.class), provider.getSupportedSocketAddressTypes());
    assertTrue(provider.priority() < 3);
  }

  @Test
  void withoutTheKeyItDeclinesNamingIt() {
    assertNull(System.getProperty("plumb.ipTransport"));
    NewChannelBuilderResult result =
        provider.newChannelBuilder("dns:///replicas:7000", InsecureChannelCredentials.create());
    assertNull(result.getChannelBuilder());
    assertTrue(result.getError().contains("Plumb carries the IP addresses of"
        + " 'dns:///replicas:7000' only when plumb.ipTransport names a transport for them"),
        result.getError());
  }
}
