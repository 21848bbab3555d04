package dev.plumb.transport.tcp;

import dev.plumb.rpc.testing.AbstractBadInputTest;
import dev.plumb.rpc.testing.BadInputTarget;
import dev.plumb.rpc.testing.ListeningServerTarget;
import dev.plumb.rpc.testing.ProcessResources;
import dev.plumb.rpc.testing.RawStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.util.List;

class TcpBadInputTest extends AbstractBadInputTest {
  @Override
  protected BadInputTarget startTarget(List<String> serverOptions) throws IOException {
    return ListeningServerTarget.start("tcp://127.0.0.1:0", this::openRawStream, true,
        new ProcessResources(), serverOptions);
  }

  private RawStream openRawStream(String target) throws IOException {
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
