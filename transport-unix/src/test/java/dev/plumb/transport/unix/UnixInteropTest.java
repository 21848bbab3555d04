package dev.plumb.transport.unix;

import dev.plumb.rpc.testing.AbstractPlumbInteropTest;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.ClassRule;
import org.junit.rules.TemporaryFolder;

/** grpc-java's interop suite over a socket file (a fresh one per test). */
public class UnixInteropTest extends AbstractPlumbInteropTest {
  @ClassRule
  public static final TemporaryFolder sockets = new TemporaryFolder();
  private static final AtomicInteger next = new AtomicInteger();

  @Override
  protected String listenAddress() {
    return "unix://" + sockets.getRoot().toPath().resolve("interop-" + next.incrementAndGet()
        + ".sock");
  }
}
