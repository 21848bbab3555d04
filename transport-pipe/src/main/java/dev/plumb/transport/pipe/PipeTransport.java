package dev.plumb.transport.pipe;

import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@code pipe:COMMAND}: the client starts the server as a child process and speaks the Plumb
 * protocol over the child's stdin and stdout; {@code stdio:} is where that child listens. See
 * {@link PipeCommand} for the command line's quoting rule and options. Each connection is one
 * child: when it dies, gRPC's channel starts another for the next call, within
 * {@link StartLimiter}'s limit.
 */
public final class PipeTransport implements PlumbTransport {
  private final StartLimiter limiter = new StartLimiter();

  @Override
  public Set<String> schemes() {
    return Set.of("pipe", "stdio");
  }

  @Override
  public PlumbAddress parse(URI uri) {
    if (uri.getScheme().equalsIgnoreCase("stdio")) {
      return StdioEndpoint.parse(uri);
    }
    return new PlumbAddress(PipeCommand.parse(uri).toUri());
  }

  @Override
  public CompletableFuture<Connection> connect(PlumbAddress address) {
    if (address.scheme().equals("stdio")) {
      return CompletableFuture.failedFuture(new IOException(
          "stdio: is where a pipe: server listens; a client connects with pipe:COMMAND"));
    }
    PipeCommand command = PipeCommand.parse(address.uri());
    String refusal = limiter.tryStart(address.toString(), command, System.nanoTime());
    if (refusal != null) {
      return CompletableFuture.failedFuture(new IOException(refusal));
    }
    try {
      return CompletableFuture.completedFuture(ChildProcess.start(command).connection(address));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new IOException(
          "cannot start '" + command.display() + "': " + e.getMessage(), e));
    }
  }

  @Override
  public Listener listen(PlumbAddress address, Consumer<Connection> onAccept) throws IOException {
    if (!address.scheme().equals("stdio")) {
      throw new IOException("a pipe: server listens on stdio:, not on " + address
          + "; the client starts it with pipe:COMMAND");
    }
    return StdioEndpoint.listen(address, onAccept);
  }
}
