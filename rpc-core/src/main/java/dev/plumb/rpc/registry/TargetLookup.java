package dev.plumb.rpc.registry;

import dev.plumb.rpc.log.RateLimitedWarnings;
import dev.plumb.rpc.spi.PlumbAddress;
import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.Status;
import io.grpc.StatusOr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lookup of a target's endpoints, giving gRPC one {@link EquivalentAddressGroup} per
 * address: each endpoint as it is written, or, for a transport whose endpoints name hosts, one
 * address per IP address of the host (in the order the lookup gives them; an address reached
 * twice is listed once). An endpoint whose host has no address is left out, with a warning; if
 * none has one, the lookup fails with UNAVAILABLE naming each host. May block (DNS): it runs on
 * gRPC's offload executor, never in the channel's synchronization context. Immutable.
 */
final class TargetLookup {
  private static final Logger log = LoggerFactory.getLogger(TargetLookup.class);
  private static final RateLimitedWarnings warnings = RateLimitedWarnings.forPeers(log);

  private final PlumbTarget target;
  /** Null: the endpoints are addresses as they are written ({@code unix:}, {@code pipe:}). */
  private final HostLookup hosts;
  private final TransportRegistry registry;
  /**
   * Whether each endpoint's addresses carry its own authority, which gRPC then gives their
   * connections (the host a TLS certificate must name): for a list of endpoints, unless the
   * channel overrides the authority.
   */
  private final boolean authorityPerEndpoint;

  TargetLookup(PlumbTarget target, HostLookup hosts, TransportRegistry registry,
      boolean channelOverridesAuthority) {
    this.target = target;
    this.hosts = hosts;
    this.registry = registry;
    this.authorityPerEndpoint = target.endpoints().size() > 1 && !channelOverridesAuthority;
  }

  StatusOr<List<EquivalentAddressGroup>> run() {
    Set<PlumbAddress> seen = new LinkedHashSet<>();
    List<EquivalentAddressGroup> groups = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (PlumbAddress endpoint : target.endpoints()) {
      List<PlumbAddress> addresses;
      try {
        addresses = addressesOf(endpoint);
      } catch (UnknownHostException | IllegalArgumentException e) {
        failures.add("no address for the host " + endpoint.uri().getHost() + " ("
            + e.getMessage() + ")");
        continue;
      }
      Attributes attributes = authorityPerEndpoint
          ? Attributes.newBuilder().set(EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE,
              PlumbTarget.authorityOf(endpoint)).build()
          : Attributes.EMPTY;
      for (PlumbAddress address : addresses) {
        if (seen.add(address)) {
          groups.add(new EquivalentAddressGroup(address, attributes));
        }
      }
    }
    if (groups.isEmpty()) {
      return StatusOr.fromStatus(Status.UNAVAILABLE.withDescription(
          target + ": " + String.join("; ", failures)));
    }
    if (!failures.isEmpty()) {
      warnings.warn("partial lookup", "{}: {}; calls go to its {} other address(es)", target,
          String.join("; ", failures), groups.size());
    }
    return StatusOr.fromValue(groups);
  }

  /** The endpoint's addresses: itself, or one per IP address of its host. */
  private List<PlumbAddress> addressesOf(PlumbAddress endpoint) throws UnknownHostException {
    String host = endpoint.uri().getHost();
    if (hosts == null || host == null) {
      return List.of(endpoint);
    }
    List<PlumbAddress> addresses = new ArrayList<>();
    for (InetAddress ip : hosts.addressesOf(host)) {
      // A transport that takes a host name takes an IP address too; if one ever did not, its
      // IllegalArgumentException is reported as this host's failure.
      addresses.add(IpTransport.address(registry, endpoint.scheme(), IpTransport.literal(ip),
          endpoint.uri().getPort(), endpoint.uri().getRawQuery()));
    }
    if (addresses.isEmpty()) {
      throw new UnknownHostException("the lookup answered no address");
    }
    return addresses;
  }
}
