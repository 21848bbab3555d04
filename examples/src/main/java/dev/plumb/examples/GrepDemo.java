package dev.plumb.examples;

import dev.plumb.examples.filter.FilterGrpc;
import dev.plumb.examples.filter.Match;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code ps -ef | grep -n REGEX}, with the grep as a child process that the channel starts and
 * talks to over its stdin and stdout ({@code pipe:}): the parent streams the lines of
 * {@code ps -ef} to {@link FilterServer}, prints the matches that come back, and checks them
 * against a filter of the same lines here. Exits with 1 if they differ, 2 on a usage error or a
 * failed call (a bad regular expression is {@code INVALID_ARGUMENT}).
 *
 * <pre>
 *   java -cp THE_EXAMPLES_CLASS_PATH dev.plumb.examples.GrepDemo 'java|sshd'
 * </pre>
 *
 * <p>The child is started with this JVM's {@code java} and {@code java.class.path}, so run it
 * with {@code java -cp ...}, not inside Maven's JVM. {@code ./demo} runs the same example with
 * more checks.
 */
public final class GrepDemo {
  /** The default pattern: the example's own JVMs, the filter child among them. */
  public static final String DEFAULT_PATTERN = "dev\\.plumb\\.examples\\.\\w+";

  private GrepDemo() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length > 1) {
      System.err.println("usage: GrepDemo [REGEX]; the default is " + DEFAULT_PATTERN);
      System.exit(2);
    }
    String regex = args.length > 0 ? args[0] : DEFAULT_PATTERN;
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true,
        StandardCharsets.UTF_8);

    // The channel's target is the child's command line; the channel starts the child.
    String target = ExampleJvm.pipeTarget(FilterServer.class.getName(), List.of(), "");
    ManagedChannel channel = PlumbChannelBuilder.forTarget(target).build();
    int exitCode;
    try {
      // Start the child now rather than at the first call, so that ps -ef shows it too.
      ChannelReadiness.await(channel, Duration.ofSeconds(30));
      List<String> lines = ProcessList.take().lines();
      List<Match> matches = GrepClient.grep(
          FilterGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS),
          regex, false, lines.iterator())
          .get(35, TimeUnit.SECONDS).matches();
      for (Match match : matches) {
        out.println(match.getNumber() + ":" + match.getLine());
      }
      boolean same = matches.equals(localGrep(lines.iterator(), regex));
      out.println(matches.size() + " of " + lines.size() + " lines matched; "
          + (same ? "the same as a local filter of the same lines"
              : "a local filter of the same lines found OTHER matches"));
      exitCode = same ? 0 : 1;
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      Status status = Status.fromThrowable(e instanceof ExecutionException ? e.getCause() : e);
      System.err.println("grep failed: " + status.getCode() + ": " + status.getDescription());
      exitCode = 2;
    } finally {
      // Closes the child's stdin; the child exits.
      channel.shutdown().awaitTermination(10, TimeUnit.SECONDS);
    }
    System.exit(exitCode);
  }

  /** The matches as the filter should send them, found here without it. */
  public static List<Match> localGrep(Iterator<String> lines, String regex) {
    Predicate<String> matches = Pattern.compile(regex).asPredicate();
    List<Match> found = new ArrayList<>();
    long number = 0;
    while (lines.hasNext()) {
      String line = lines.next();
      number++;
      if (matches.test(line)) {
        found.add(Match.newBuilder().setNumber(number).setLine(line).build());
      }
    }
    return found;
  }
}
