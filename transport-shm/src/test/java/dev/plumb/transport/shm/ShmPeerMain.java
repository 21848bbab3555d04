package dev.plumb.transport.shm;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.rpc.registry.TransportRegistry;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.ConnectionHandler;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import io.grpc.Status;
import java.util.concurrent.TimeUnit;

/**
 * The other end of {@link ShmPeerDeathTest}, in its own JVM, to be killed with SIGKILL:
 * {@code server|client ADDRESS idle|deaf|stream}. A server prints {@code READY} once it
 * listens, a client once its connection started. {@code idle} starts the connection and sends
 * nothing; {@code deaf} never starts it (its inbound ring is never read, so the peer's writer
 * ends up waiting on a full ring); {@code stream} sends {@link NumberedFrames#STREAM_LENGTH} numbered frames.
 * Exits when its stdin ends (the test JVM is gone).
 */
public final class ShmPeerMain {
  private ShmPeerMain() {}

  public static void main(String[] args) throws Exception {
    String role = args[0];
    String mode = args[2];
    PlumbAddress address = TransportRegistry.getDefault().parse(args[1]);
    PlumbTransport transport = TransportRegistry.getDefault().transportFor(address);
    if (role.equals("server")) {
      transport.listen(address, connection -> serve(connection, mode));
    } else {
      serve(transport.connect(address).get(10, TimeUnit.SECONDS), mode);
    }
    System.out.println("READY");
    System.out.flush();
    while (System.in.read() >= 0) {
      // Nothing: the test never writes; end-of-file means it is gone.
    }
    System.exit(0);
  }

  private static void serve(Connection connection, String mode) {
    if (mode.equals("deaf")) {
      return;
    }
    connection.start(new ConnectionHandler() {
      @Override
      public int maxFrameSize() {
        return NumberedFrames.MAX_FRAME;
      }

      @Override
      public void onSent(long bytes) {}

      @Override
      public void onReadComplete() {}

      @Override
      public void onFrame(Frame frame) {
      }

      @Override
      public void onProtocolError(ProtocolException error) {
        connection.close(error.status());
      }

      @Override
      public void onClosed(Status status) {
      }
    });
    if (mode.equals("stream")) {
      Thread sender = new Thread(() -> {
        // Bounded, so that a queue the ring cannot take fast enough stays small.
        for (int i = 0; i < NumberedFrames.STREAM_LENGTH; i++) {
          connection.write(NumberedFrames.frame(i));
          if (i % 16 == 15) {
            connection.flush();
          }
        }
        connection.flush();
      }, "sender");
      sender.setDaemon(true);
      sender.start();
    }
  }
}
