package dev.plumb.transport.unix;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A listener that is not Plumb, for tests that run it as another user: binds each address given
 * ({@code @name} for an abstract name, else a socket file's path), prints {@code READY}, and for
 * each connection, once the peer hung up, prints {@code RECEIVED <address> <bytes it sent>}.
 * Exits when its stdin ends.
 */
public final class ByteCountingServerMain {
  private ByteCountingServerMain() {}

  public static void main(String[] addresses) throws IOException {
    for (String address : addresses) {
      AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
      server.bind(address.startsWith("@")
          ? AFUNIXSocketAddress.inAbstractNamespace(address.substring(1))
          : AFUNIXSocketAddress.of(Path.of(address)));
      Thread accepting = new Thread(() -> countEach(server, address), "accept " + address);
      accepting.setDaemon(true);
      accepting.start();
    }
    System.out.println("READY");
    System.out.flush();
    System.in.transferTo(OutputStream.nullOutputStream());
    System.exit(0);
  }

  private static void countEach(AFUNIXServerSocket server, String address) {
    while (true) {
      try (AFUNIXSocket socket = server.accept()) {
        long bytes = socket.getInputStream().transferTo(OutputStream.nullOutputStream());
        // One line at a time from the accepting threads of several addresses.
        synchronized (System.out) {
          System.out.println("RECEIVED " + address + " " + bytes);
          System.out.flush();
        }
      } catch (IOException e) {
        return;
      }
    }
  }
}
