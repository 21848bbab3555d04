package dev.plumb.transport.pipe;

import dev.plumb.rpc.PlumbAttributes;
import dev.plumb.rpc.idle.IdleBudget;
import dev.plumb.rpc.kit.BlockingStreamConnection;
import dev.plumb.rpc.kit.DaemonThreads;
import dev.plumb.rpc.kit.IdleMode;
import dev.plumb.rpc.kit.PollingInputStream;
import dev.plumb.rpc.kit.UriOptions;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import io.grpc.Attributes;
import io.grpc.Grpc;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The child's side of {@code pipe:}: a server listening on {@code stdio:} serves the one
 * connection its parent opened by starting it. It keeps that connection out of the rest of the
 * process's reach: {@code System.out} goes to stderr and {@code System.in} is empty, and on
 * Linux the protocol moves to private descriptors while descriptor 1 points at stderr and 0 at
 * {@code /dev/null} ({@link PrivateStdio}). When the connection ends (the parent closed stdin,
 * or died) the process exits; {@link ParentWatch} makes sure that a child whose parent died
 * ends even where that is not seen.
 */
final class StdioEndpoint implements Listener {
  private static final Logger log = LoggerFactory.getLogger(StdioEndpoint.class);
  static final PlumbAddress ADDRESS = new PlumbAddress(URI.create("stdio:/"));
  private static boolean taken;
  private final PlumbAddress address;

  private StdioEndpoint(PlumbAddress address) {
    this.address = address;
  }

  /**
   * {@code stdio:}, or {@code stdio:?idle=poll} for the child's latency mode ({@link IdleMode}):
   * no path, and {@code idle} is the one option.
   */
  static PlumbAddress parse(URI uri) {
    String rest = uri.getRawSchemeSpecificPart();
    int question = rest == null ? -1 : rest.indexOf('?');
    String path = question < 0 ? rest : rest.substring(0, question);
    if (!(path == null || path.isEmpty() || path.equals("/")) || uri.getFragment() != null) {
      throw new IllegalArgumentException("'" + uri + "': stdio: takes no path; a pipe: server"
          + " listens on stdio: alone, or on stdio:?idle=poll for the latency mode");
    }
    UriOptions options = UriOptions.parse(question < 0 ? null : rest.substring(question + 1),
        true, uri.toString(), List.of(IdleMode.KEY));
    IdleMode idle = IdleMode.parse(options.get(IdleMode.KEY), uri.toString());
    return idle == IdleMode.BLOCK ? ADDRESS
        : new PlumbAddress(URI.create(ADDRESS.uri() + "?" + idle.option()));
  }

  static synchronized Listener listen(PlumbAddress address, Consumer<Connection> onAccept)
      throws IOException {
    if (taken) {
      throw new IOException("stdio: is in use: a process has one stdin and one stdout");
    }
    taken = true;
    // First, so that Java code printing meanwhile does not reach the protocol.
    System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
    System.setIn(new ByteArrayInputStream(new byte[0]));
    Libc.Loaded loaded = Libc.Loaded.load();
    // Before the streams are taken: opening a pipe again waits for a parent that is gone.
    ParentWatch parent = ParentWatch.start(loaded.libc);
    PrivateStdio stdio = takeStdio(loaded);
    Attributes attributes = Attributes.newBuilder()
        .set(Grpc.TRANSPORT_ATTR_REMOTE_ADDR, new PlumbAddress(URI.create("pipe:parent")))
        .set(Grpc.TRANSPORT_ATTR_LOCAL_ADDR, ADDRESS)
        .set(PlumbAttributes.PEER_CREDENTIALS, ProcessCredentials.of(parent.parentPid()))
        .build();
    InputStream in = IdleMode.of(address) == IdleMode.POLL
        ? new PollingInputStream(stdio.in, IdleBudget.MACHINE) : stdio.in;
    Connection connection = new BlockingStreamConnection("stdio", in, stdio.out,
        () -> ParentWatch.exit("the connection to the parent is over"), stdio.outRoom,
        attributes, UnaryOperator.identity());
    // Handed over from another thread: gRPC's server is still inside start() here, and takes
    // the connection once start() is done (it would take a stream before it has an executor).
    DaemonThreads.newThread("plumb-stdio-accept", () -> onAccept.accept(connection)).start();
    return new StdioEndpoint(address);
  }

  /** The protocol on private descriptors, or on 0 and 1 as they are where that cannot be. */
  private static PrivateStdio takeStdio(Libc.Loaded loaded) throws IOException {
    String shared;
    if (loaded.libc == null) {
      shared = loaded.unavailable;
    } else {
      try {
        return PrivateStdio.take(loaded.libc);
      } catch (PrivateStdio.Unavailable e) {
        shared = e.getMessage();
      }
    }
    log.warn("stdio: the protocol stays on descriptors 0 and 1, shared with the rest of this"
        + " process, because {}: output written to descriptor 1 by a thread dump, -Xlog, a"
        + " subprocess started with inheritIO or native code corrupts it (System.out is sent to"
        + " stderr all the same)", shared);
    return PrivateStdio.shared();
  }

  @Override
  public PlumbAddress boundAddress() {
    return address;
  }

  @Override
  public SocketAddress localSocketAddress() {
    return address;
  }

  /** Nothing to stop: the one connection was accepted at once and ends with the process. */
  @Override
  public void close() {}
}
