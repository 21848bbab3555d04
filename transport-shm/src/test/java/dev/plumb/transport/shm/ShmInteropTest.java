package dev.plumb.transport.shm;

import dev.plumb.rpc.testing.AbstractPlumbInteropTest;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.ClassRule;
import org.junit.rules.TemporaryFolder;

/** grpc-java's interop suite over shm: (a fresh rendezvous socket per test). */
public class ShmInteropTest extends AbstractPlumbInteropTest {
  @ClassRule
  public static final TemporaryFolder sockets = new TemporaryFolder();
  private static final AtomicInteger next = new AtomicInteger();

  @Override
  protected String listenAddress() {
    return "shm://" + sockets.getRoot().toPath().resolve("interop-" + next.incrementAndGet()
        + ".sock");
  }
}
