package dev.plumb.transport.pipe;

import dev.plumb.rpc.PlumbAttributes;
import dev.plumb.rpc.kit.BlockingStreamConnection;
import dev.plumb.rpc.kit.DaemonThreads;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import io.grpc.Attributes;
import io.grpc.Grpc;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.SocketAddress;
import java.net.URI;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The child's side of {@code pipe:}: a server listening on {@code stdio:} serves the one
 * connection its parent opened by starting it. Taking stdout, it points {@code System.out} at
 * stderr, so a service that prints cannot corrupt the protocol stream, and {@code System.in} at
 * an empty stream. When stdin ends (the parent closed it, or died, even by SIGKILL) the
 * process exits: a pipe: server never outlives its parent.
 */
final class StdioEndpoint implements Listener {
  private static final Logger log = LoggerFactory.getLogger(StdioEndpoint.class);
  static final PlumbAddress ADDRESS = new PlumbAddress(URI.create("stdio:/"));
  private static boolean taken;

  private StdioEndpoint() {}

  static synchronized Listener listen(Consumer<Connection> onAccept) throws IOException {
    if (taken) {
      throw new IOException("stdio: is in use: a process has one stdin and one stdout");
    }
    taken = true;
    FileInputStream in = new FileInputStream(FileDescriptor.in);
    FileOutputStream out = new FileOutputStream(FileDescriptor.out);
    System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
    System.setIn(new ByteArrayInputStream(new byte[0]));
    long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    Attributes attributes = Attributes.newBuilder()
        .set(Grpc.TRANSPORT_ATTR_REMOTE_ADDR, new PlumbAddress(URI.create("pipe:parent")))
        .set(Grpc.TRANSPORT_ATTR_LOCAL_ADDR, ADDRESS)
        .set(PlumbAttributes.PEER_CREDENTIALS, ProcessCredentials.of(parent))
        .build();
    Connection connection = new BlockingStreamConnection("stdio", in, out,
        StdioEndpoint::parentGone, attributes);
    // Handed over from another thread: gRPC's server is still inside start() here, and takes
    // the connection once start() is done (it would take a stream before it has an executor).
    DaemonThreads.newThread("plumb-stdio-accept", () -> onAccept.accept(connection)).start();
    return new StdioEndpoint();
  }

  /** The connection to the parent is over: so is this process. */
  private static void parentGone() {
    log.info("the parent closed the pipe; exiting");
    Thread exit = new Thread(() -> System.exit(0), "plumb-stdio-exit");
    exit.start();
  }

  @Override
  public PlumbAddress boundAddress() {
    return ADDRESS;
  }

  @Override
  public SocketAddress localSocketAddress() {
    return ADDRESS;
  }

  /** Nothing to stop: the one connection was accepted at once and ends with the process. */
  @Override
  public void close() {}
}
