package dev.plumb.transport.unix;

import dev.plumb.childjvm.ServerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link ByteCountingServerMain} run as {@code nobody}: a server of another user at the
 * addresses given, which tells how many bytes each first connection to an address carried.
 */
public final class ImpostorServer implements AutoCloseable {
  private final ServerProcess process;
  private final BufferedReader out;
  private final Map<String, Long> firstConnection = new HashMap<>();

  /**
   * @param scratch a folder nobody can traverse, for the shared class path
   * @param addresses {@code @name} for an abstract name, else a socket file's path
   */
  public ImpostorServer(Path scratch, List<String> addresses)
      throws IOException, InterruptedException {
    process = ServerProcess.startPiped("server as nobody",
        OtherUser.javaCommand(scratch, ByteCountingServerMain.class, addresses),
        Duration.ofSeconds(5));
    out = new BufferedReader(new InputStreamReader(process.stdout(), StandardCharsets.UTF_8));
    String ready = out.readLine();
    if (!"READY".equals(ready)) {
      process.close();
      throw new IOException("the server as nobody printed " + ready + " instead of READY");
    }
  }

  /**
   * The bytes the first connection to {@code address} carried, once it was closed; waits for
   * it (a later connection, a channel's reconnect say, does not count).
   */
  public long bytesOfFirstConnection(String address) throws IOException {
    while (!firstConnection.containsKey(address)) {
      String line = out.readLine();
      if (line == null) {
        throw new IOException("the server as nobody ended before a connection to " + address);
      }
      String[] words = line.split(" ");
      firstConnection.putIfAbsent(words[1], Long.parseLong(words[2]));
    }
    return firstConnection.get(address);
  }

  @Override
  public void close() {
    process.close();
  }
}
