package dev.plumb.transport.tcp;

import dev.plumb.childjvm.ServerProcess;
import dev.plumb.rpc.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A {@link ReplicaClientMain} in a JVM of its own, asked for one call at a time. Its name
 * lookups read only {@code hostsFile} and are never cached, by the JVM
 * ({@code sun.net.inetaddr.ttl=0}) or by the channel's name resolver
 * ({@code networkaddress.cache.ttl=0}): a rewritten file is seen at the next re-resolution.
 */
final class ReplicaClient implements AutoCloseable {
  private final ServerProcess process;
  private final OutputStream commands;
  private final BufferedReader answers;

  private ReplicaClient(ServerProcess process) {
    this.process = process;
    this.commands = process.stdin();
    this.answers = new BufferedReader(
        new InputStreamReader(process.stdout(), StandardCharsets.UTF_8));
  }

  /**
   * Starts a client that makes its channels with {@code mode} ({@code plumb} or {@code grpc}),
   * with {@code jvmOptions} besides the hosts file's, on this JVM's class path without the
   * entries {@code dropped} from it.
   */
  static ReplicaClient start(String mode, Path hostsFile, List<String> jvmOptions,
      Predicate<String> dropped) throws IOException {
    List<String> options = new ArrayList<>(List.of("-Djdk.net.hosts.file=" + hostsFile,
        "-Dsun.net.inetaddr.ttl=0", "-Dnetworkaddress.cache.ttl=0"));
    options.addAll(jvmOptions);
    List<String> command = new ArrayList<>(ChildJvm.command(options, ReplicaClientMain.class,
        mode));
    int classPath = command.indexOf("-cp") + 1;
    List<String> kept = new ArrayList<>();
    for (String entry : command.get(classPath).split(java.io.File.pathSeparator)) {
      if (!dropped.test(entry)) {
        kept.add(entry);
      }
    }
    command.set(classPath, String.join(java.io.File.pathSeparator, kept));
    return new ReplicaClient(ServerProcess.startPiped("client", command, Duration.ofSeconds(5)));
  }

  /**
   * One call to {@code target}: {@code OK <pid>}, {@code FAILED <code> <description>} or
   * {@code FAILED TO BUILD <exception>}. The client's call deadline bounds the wait.
   */
  String call(String target) throws IOException {
    commands.write(("call " + target + "\n").getBytes(StandardCharsets.UTF_8));
    commands.flush();
    String answer = answers.readLine();
    if (answer == null) {
      throw new IOException("the client exited (its stderr is above)");
    }
    return answer;
  }

  /** The pid of the server that answered {@code answer}, which must be {@code OK <pid>}. */
  static long pid(String answer) {
    if (!answer.startsWith("OK ")) {
      throw new AssertionError("the call failed: " + answer);
    }
    return Long.parseLong(answer.substring("OK ".length()));
  }

  @Override
  public void close() {
    process.close();
  }
}
