package dev.plumb.transport.pipe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A child that waits for a line on stdin and then prints the capacities of its stdin's and
 * stdout's pipes, as it sees them: {@code 65536 1048576}.
 */
public final class PipeCapacityMain {
  private PipeCapacityMain() {}

  public static void main(String[] args) throws IOException {
    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    System.out.println(PipeCalls.capacity(0) + " " + PipeCalls.capacity(1));
    System.out.flush();
  }
}
