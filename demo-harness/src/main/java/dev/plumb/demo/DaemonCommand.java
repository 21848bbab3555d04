package dev.plumb.demo;

import dev.plumb.childjvm.JavaCommand;
import dev.plumb.daemon.PlumbDaemon;
import dev.plumb.examples.CalculatorService;
import dev.plumb.examples.ExampleJvm;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The command line of {@link PlumbDaemon} as the demo runs it: the examples are an application's
 * jar, which the daemon loads from its {@code --service-path}, and the daemon's class path is
 * this JVM's without them, so that it hosts what the examples jar registers as any application's.
 */
final class DaemonCommand {
  private DaemonCommand() {}

  /** {@code java ... PlumbDaemon --service-path EXAMPLES args...}. */
  static List<String> of(List<String> args) {
    String examples = examplesLocation();
    String classPath = Arrays.stream(System.getProperty("java.class.path")
            .split(File.pathSeparator))
        .filter(entry -> !Path.of(entry).toAbsolutePath().toString().equals(examples))
        .collect(Collectors.joining(File.pathSeparator));
    List<String> daemonArgs = new ArrayList<>(List.of("--service-path", examples));
    daemonArgs.addAll(args);
    return JavaCommand.of(ExampleJvm.logSettings(), classPath, PlumbDaemon.class.getName(),
        daemonArgs);
  }

  /** The examples jar (or class directory, in a build that has not packaged them). */
  private static String examplesLocation() {
    try {
      return Path.of(CalculatorService.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI()).toAbsolutePath().toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the examples: " + e.getMessage(), e);
    }
  }
}
