package dev.plumb.transport.grpc;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Node.js client of the tests ({@code src/test/node}), installed into a directory of the
 * build ({@code target/node-client}) with {@code npm ci} from its lock file: @grpc/grpc-js and
 * @grpc/proto-loader from the npm registry, as the machine's npm configuration reaches it.
 * Installed once per build directory; again when the lock file changes.
 *
 * <p>Without {@code node} on the PATH the test is skipped, saying so. With it, a failed install
 * (no network and nothing in npm's cache, say) fails the test with npm's output: a build that
 * can run the client must not pass without having run it.
 */
final class NodeClient {
  private static final Path SOURCES = Path.of("src", "test", "node");
  private static final Path HOME = Path.of("target", "node-client");
  /** The lock file the installed node_modules came from. */
  private static final Path INSTALLED_LOCK = HOME.resolve("node_modules").resolve(".plumb-lock");
  private static final long INSTALL_TIMEOUT_SECONDS = 240;
  private static final long RUN_TIMEOUT_SECONDS = 60;

  private final String node;

  private NodeClient(String node) {
    this.node = node;
  }

  /** The client, installed; skips the calling test if there is no {@code node} on the PATH. */
  static NodeClient installed() throws Exception {
    Optional<String> node = onPath("node");
    assumeTrue(node.isPresent(), "skipped: no 'node' on the PATH; the Node.js client test needs"
        + " Node.js and npm (it runs whenever 'node' is on the PATH)");
    Optional<String> npm = onPath("npm");
    if (npm.isEmpty()) {
      fail("'node' is on the PATH but 'npm' is not: the Node.js client cannot be installed");
    }
    Files.createDirectories(HOME);
    for (String file : List.of("package.json", "package-lock.json", "calculator-client.js")) {
      Files.copy(SOURCES.resolve(file), HOME.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    byte[] lock = Files.readAllBytes(HOME.resolve("package-lock.json"));
    if (!Files.exists(INSTALLED_LOCK) || !java.util.Arrays.equals(lock,
        Files.readAllBytes(INSTALLED_LOCK))) {
      // --ignore-scripts: neither package needs an install script (protobufjs has one that only
      // checks its command-line tools, which the client does not use).
      Result install = run(List.of(npm.get(), "ci", "--ignore-scripts", "--no-audit",
          "--no-fund"), INSTALL_TIMEOUT_SECONDS);
      if (install.exitCode() != 0) {
        fail("npm ci failed (" + install.describeExit() + ") in " + HOME.toAbsolutePath()
            + "; the Node.js client needs @grpc/grpc-js and @grpc/proto-loader from the npm"
            + " registry (network, or npm's cache). npm said:\n" + install.output());
      }
      Files.write(INSTALLED_LOCK, lock);
    }
    return new NodeClient(node.get());
  }

  /** Copies a .proto from the class path into the client's directory; returns its path. */
  Path protoFromClassPath(String resource) throws IOException {
    Path target = HOME.resolve(Path.of(resource).getFileName());
    try (InputStream in = NodeClient.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no " + resource + " on the class path");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target.toAbsolutePath();
  }

  /** Runs the calculator client against {@code target}; its stdout and stderr, and exit code. */
  Result calculator(String target, Path proto) throws Exception {
    return run(List.of(node, "calculator-client.js", target, proto.toString()),
        RUN_TIMEOUT_SECONDS);
  }

  record Result(int exitCode, String output) {
    String describeExit() {
      return exitCode < 0 ? "timed out" : "exit code " + exitCode;
    }
  }

  private static Result run(List<String> command, long timeoutSeconds) throws Exception {
    Path log = Files.createTempFile(HOME.toAbsolutePath(), "run-", ".log");
    try {
      Process process = new ProcessBuilder(command).directory(HOME.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      int exit;
      if (process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        exit = process.exitValue();
      } else {
        process.destroyForcibly().waitFor();
        exit = -1;
      }
      return new Result(exit, Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static Optional<String> onPath(String program) {
    String path = System.getenv("PATH");
    for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
      File candidate = new File(dir, program);
      if (candidate.isFile() && candidate.canExecute()) {
        return Optional.of(candidate.getAbsolutePath());
      }
    }
    return Optional.empty();
  }
}
