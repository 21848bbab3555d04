package dev.plumb.rpc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.spi.PlumbAddress;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InternalManagedChannelProvider;
import io.grpc.ManagedChannelProvider.NewChannelBuilderResult;
import java.net.InetSocketAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How Plumb's one channel provider decides, without {@code plumb.ipTransport} (transport-tcp's
 * {@code DnsTargetTest} runs {@code dns:} targets with the key, in JVMs of their own). grpc-netty
 * is on this class path (through grpc-interop-testing): it is the provider gRPC would pick
 * without Plumb's.
 */
@Timeout(10)
class PlumbManagedChannelProviderTest {
  private final PlumbManagedChannelProvider provider = new PlumbManagedChannelProvider();

  @Test
  void itStandsFirstAndTakesPlumbAddressesAndIpAddresses() {
    assertEquals(Set.of(PlumbAddress.class, InetSocketAddress.class),
        Set.copyOf(provider.getSupportedSocketAddressTypes()));
    assertTrue(provider.priority() > 5);
  }

  @Test
  void withoutTheKeyADnsTargetIsDeclinedNamingIt() {
    assertNull(System.getProperty("plumb.ipTransport"));
    NewChannelBuilderResult result =
        provider.newChannelBuilder("dns:///replicas:7000", InsecureChannelCredentials.create());
    assertNull(result.getChannelBuilder());
    assertTrue(result.getError().contains("Plumb carries the IP addresses of"
        + " 'dns:///replicas:7000' only when plumb.ipTransport names a transport for them"),
        result.getError());
  }

  @Test
  void withoutTheKeyGrpcsLegacyBuilderGivesADnsTargetToTheOtherProvider() {
    assertSame(InternalManagedChannelProvider.builderForTarget(OtherChannelProviders.first(),
            "dns:///replicas:7000").getClass(),
        provider.builderForTarget("dns:///replicas:7000").getClass());
  }

  @Test
  void aPlumbTargetIsTakenAndABadOneExplained() {
    assertInstanceOf(PlumbChannelBuilder.class, provider.builderForTarget("mem:calc"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> provider.builderForTarget("mem:calc#part"));
    assertTrue(e.getMessage().contains("has a fragment"), e.getMessage());
  }

  @Test
  void aHostAndPortIsNotAPlumbTarget() {
    NewChannelBuilderResult result =
        provider.newChannelBuilder("localhost:7000", InsecureChannelCredentials.create());
    assertNull(result.getChannelBuilder());
    assertEquals("'localhost:7000' is not a Plumb target", result.getError());
    assertSame(InternalManagedChannelProvider.builderForTarget(OtherChannelProviders.first(),
            "localhost:7000").getClass(),
        provider.builderForTarget("localhost:7000").getClass());
  }
}
