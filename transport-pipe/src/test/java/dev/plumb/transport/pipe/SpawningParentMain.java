package dev.plumb.transport.pipe;

import dev.plumb.rpc.registry.TransportRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A parent that starts the command {@code args[0]} (a pipe: target) as a pipe: child is
 * started, waits for it to print {@code ARMED}, prints {@code CHILD <pid>}, then waits to be
 * killed.
 */
public final class SpawningParentMain {
  private SpawningParentMain() {}

  public static void main(String[] args) throws Exception {
    Process child = Spawner.start(ChildProcess.builder(
        PipeCommand.parse(TransportRegistry.getDefault().parse(args[0]).uri())));
    BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (!WatchedChildMain.ARMED.equals(line)) {
      throw new IllegalStateException("the child printed '" + line + "'");
    }
    System.out.println("CHILD " + child.pid());
    System.out.flush();
    Thread.sleep(TimeUnit.MINUTES.toMillis(5));
  }
}
