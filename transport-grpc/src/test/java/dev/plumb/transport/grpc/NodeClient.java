package dev.plumb.transport.grpc;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.examples.node.NodeCalculatorClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The examples' Node.js client ({@link NodeCalculatorClient}) for the tests, installed into a
 * directory of the build ({@code target/node-client}) with {@code npm ci} from its lock file:
 * @grpc/grpc-js and @grpc/proto-loader from the npm registry, as the machine's npm configuration
 * reaches it.
 *
 * <p>Without {@code node} on the PATH the test is skipped, saying so. With it, a failed install
 * (no network and nothing in npm's cache, say) fails the test with npm's output: a build that
 * can run the client must not pass without having run it.
 */
final class NodeClient {
  private static final Path HOME = Path.of("target", "node-client");

  private NodeClient() {}

  /** The client, installed; skips the calling test if there is no {@code node} on the PATH. */
  static NodeCalculatorClient installed() throws Exception {
    Optional<String> node = NodeCalculatorClient.nodeOnPath();
    assumeTrue(node.isPresent(), "skipped: no 'node' on the PATH; the Node.js client test needs"
        + " Node.js and npm (it runs whenever 'node' is on the PATH)");
    try {
      return NodeCalculatorClient.install(node.get(), HOME);
    } catch (IOException e) {
      return fail(e.getMessage());
    }
  }
}
