package dev.plumb.transport.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plumb.rpc.PlumbAttributes;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.testing.AbstractLinkConformanceTest;
import java.util.UUID;

/** The link-level kit over Linux's abstract namespace (no socket file). */
class UnixAbstractLinkConformanceTest extends AbstractLinkConformanceTest {
  @Override
  protected String listenAddress() {
    return "unix-abstract:plumb-link-" + UUID.randomUUID();
  }

  @Override
  protected void assertPeerIdentity(Connection client, Connection server) {
    assertEquals(Identity.ofThisProcess(),
        server.attributes().get(PlumbAttributes.PEER_CREDENTIALS));
    assertEquals(Identity.ofThisProcess(),
        client.attributes().get(PlumbAttributes.PEER_CREDENTIALS));
  }
}
