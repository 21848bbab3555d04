package dev.plumb.rpc.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server with keep-alive notices a client process frozen with SIGSTOP and ends its calls
 * ({@link FrozenClient}); a transport runs it by naming a fresh listen address.
 */
@Timeout(60)
public abstract class AbstractFrozenClientTest {
  @TempDir
  Path dir;

  private final Cleanup cleanup = new Cleanup();

  /** Where the server listens; {@code dir} is a fresh directory for socket files. */
  protected abstract String listenAddress(Path dir);

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  @Test
  void theServerEndsAFrozenClientsCallsAtKeepAlive() throws Exception {
    String address = listenAddress(dir);
    long elapsed = FrozenClient.assertServerEndsTheCallsOfAFrozenClient(address, cleanup);
    System.out.println(address + ": the server ended the call " + elapsed
        + " ms after the client froze");
  }
}
