package dev.plumb.rpc.stream;

import dev.plumb.rpc.kit.BlockingStreamConnection;
import dev.plumb.rpc.kit.HalfClosingOutputStream;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import io.grpc.Attributes;
import io.grpc.Grpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A test-only transport ({@code stream-test://127.0.0.1:PORT}): plain blocking loopback
 * sockets under {@link BlockingStreamConnection}, so the conformance kit checks the core's
 * blocking-stream connection on its own, before pipe: or unix: build on it.
 */
public final class SocketStreamTransport implements PlumbTransport {
  @Override
  public Set<String> schemes() {
    return Set.of("stream-test");
  }

  @Override
  public PlumbAddress parse(URI uri) {
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw new IllegalArgumentException("expected stream-test://HOST:PORT, got " + uri);
    }
    return new PlumbAddress(URI.create("stream-test://" + uri.getRawAuthority()));
  }

  @Override
  public CompletableFuture<Connection> connect(PlumbAddress address) {
    // A thread of its own: the common pool may have a single thread (JDK 25 on two cores),
    // which a blocked connect would take from everyone else.
    return CompletableFuture.supplyAsync(() -> {
      try {
        return wrap(new Socket(address.uri().getHost(), address.uri().getPort()));
      } catch (IOException e) {
        throw new java.util.concurrent.CompletionException(
            new IOException("connect to " + address + " failed: " + e.getMessage(), e));
      }
    }, task -> {
      Thread thread = new Thread(task, "stream-test-connect");
      thread.setDaemon(true);
      thread.start();
    });
  }

  private static Connection wrap(Socket socket) throws IOException {
    socket.setTcpNoDelay(true);
    Attributes attributes = Attributes.newBuilder()
        .set(Grpc.TRANSPORT_ATTR_REMOTE_ADDR, socket.getRemoteSocketAddress())
        .set(Grpc.TRANSPORT_ATTR_LOCAL_ADDR, socket.getLocalSocketAddress())
        .build();
    return new BlockingStreamConnection("stream-test-" + socket.getLocalPort(),
        socket.getInputStream(),
        new HalfClosingOutputStream(socket.getOutputStream(), socket::shutdownOutput), socket,
        attributes);
  }

  @Override
  public Listener listen(PlumbAddress address, Consumer<Connection> onAccept) throws IOException {
    ServerSocket server = new ServerSocket();
    try {
      server.bind(new InetSocketAddress(InetAddress.getByName(address.uri().getHost()),
          address.uri().getPort()));
    } catch (IOException e) {
      server.close();
      throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
    }
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          onAccept.accept(wrap(server.accept()));
        } catch (IOException e) {
          return;
        }
      }
    }, "stream-test-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
    PlumbAddress bound = new PlumbAddress(URI.create("stream-test://"
        + address.uri().getHost() + ":" + server.getLocalPort()));
    return new Listener() {
      @Override
      public PlumbAddress boundAddress() {
        return bound;
      }

      @Override
      public SocketAddress localSocketAddress() {
        return server.getLocalSocketAddress();
      }

      @Override
      public void close() {
        try {
          server.close();
        } catch (IOException e) {
          // Closed already.
        }
        // While the acceptor is inside accept(2) the kernel keeps the socket listening, and a
        // connect in that window succeeds; close means closed once the acceptor has left.
        try {
          acceptor.join(5_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }
}
