package dev.plumb.transport.tcp;

import dev.plumb.rpc.testing.AbstractBadInputTest;
import dev.plumb.rpc.testing.RawStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;

class TcpBadInputTest extends AbstractBadInputTest {
  @Override
  protected String listenAddress() {
    return "tcp://127.0.0.1:0";
  }

  @Override
  protected RawStream openRawStream(String target) throws IOException {
    URI uri = URI.create(target);
    Socket socket = new Socket(uri.getHost(), uri.getPort());
    socket.setSoTimeout(10_000);
    return new RawStream() {
      @Override
      public InputStream in() {
        try {
          return socket.getInputStream();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public OutputStream out() {
        try {
          return socket.getOutputStream();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public void close() throws IOException {
        socket.close();
      }
    };
  }
}
