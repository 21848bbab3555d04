package dev.plumb.examples.node;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The calculator's client in another language: a Node.js program on {@code @grpc/grpc-js} and
 * {@code @grpc/proto-loader} (this package's resources: {@code calculator-client.js}, its
 * {@code package.json} and lock file), which calls a server's gRPC (HTTP/2) endpoint as any
 * Node.js program would. {@link #install} copies it into a directory with the calculator's
 * {@code .proto} and runs {@code npm ci} there from the lock file, once per directory and again
 * when the lock file changes; {@link #call} runs it against a target.
 */
public final class NodeCalculatorClient {
  /** What the client prints against the example calculator, one line per call. */
  public static final List<String> EXPECTED = List.of(
      "add 5",
      "multiply 12000000000",
      "divide INVALID_ARGUMENT division by zero: 1 / 0 has no value",
      "primes 2,3,5,7,11,13,17,19,23,29");

  private static final String RESOURCES = "dev/plumb/examples/node/";
  private static final List<String> FILES = List.of("package.json", "package-lock.json",
      "calculator-client.js");
  private static final String PROTO = "plumb/examples/calculator/calculator.proto";
  private static final long INSTALL_TIMEOUT_SECONDS = 240;
  private static final long RUN_TIMEOUT_SECONDS = 60;

  private final String node;
  private final Path home;

  private NodeCalculatorClient(String node, Path home) {
    this.node = node;
    this.home = home;
  }

  /** {@code node}'s path, if it is on the PATH. */
  public static Optional<String> nodeOnPath() {
    return onPath("node");
  }

  /**
   * The client, installed in {@code home} and run with {@code node}.
   *
   * @throws IOException if npm is missing or {@code npm ci} fails (no network and nothing in
   *     npm's cache, say); the message has npm's output
   */
  public static NodeCalculatorClient install(String node, Path home)
      throws IOException, InterruptedException {
    Optional<String> npm = onPath("npm");
    if (npm.isEmpty()) {
      throw new IOException("'node' is on the PATH but 'npm' is not: the Node.js client cannot"
          + " be installed");
    }
    Files.createDirectories(home);
    for (String file : FILES) {
      copyResource(RESOURCES + file, home.resolve(file));
    }
    copyResource(PROTO, home.resolve("calculator.proto"));
    Path installedLock = home.resolve("node_modules").resolve(".plumb-lock");
    byte[] lock = Files.readAllBytes(home.resolve("package-lock.json"));
    if (!Files.exists(installedLock)
        || !Arrays.equals(lock, Files.readAllBytes(installedLock))) {
      // --ignore-scripts: neither package needs an install script (protobufjs has one that only
      // checks its command-line tools, which the client does not use).
      Result install = run(home, List.of(npm.get(), "ci", "--ignore-scripts", "--no-audit",
          "--no-fund"), INSTALL_TIMEOUT_SECONDS);
      if (install.exitCode() != 0) {
        throw new IOException("npm ci failed (" + install.describeExit() + ") in "
            + home.toAbsolutePath() + "; the Node.js client needs @grpc/grpc-js and"
            + " @grpc/proto-loader from the npm registry (network, or npm's cache). npm said:\n"
            + install.output());
      }
      Files.write(installedLock, lock);
    }
    return new NodeCalculatorClient(node, home);
  }

  /**
   * Runs the client against {@code target}, a gRPC target such as {@code 127.0.0.1:7001} or
   * {@code unix:///path.sock}: its output (stdout and stderr) and exit code.
   */
  public Result call(String target) throws IOException, InterruptedException {
    return run(home, List.of(node, "calculator-client.js", target,
        home.resolve("calculator.proto").toAbsolutePath().toString()), RUN_TIMEOUT_SECONDS);
  }

  /** A run's exit code (-1 if it timed out and was killed) and its output. */
  public record Result(int exitCode, String output) {
    public String describeExit() {
      return exitCode < 0 ? "timed out" : "exit code " + exitCode;
    }
  }

  private static void copyResource(String resource, Path target) throws IOException {
    try (InputStream in = NodeCalculatorClient.class.getClassLoader()
        .getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no " + resource + " on the class path");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static Result run(Path directory, List<String> command, long timeoutSeconds)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(directory.toAbsolutePath(), "run-", ".log");
    try {
      Process process = new ProcessBuilder(command).directory(directory.toFile())
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
