package dev.plumb.transport.unix;

import dev.plumb.rpc.testing.AbstractBadInputTest;
import dev.plumb.rpc.testing.BadInputTarget;
import dev.plumb.rpc.testing.ListeningServerTarget;
import dev.plumb.rpc.testing.ProcessResources;
import dev.plumb.rpc.testing.RawStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

class UnixBadInputTest extends AbstractBadInputTest {
  @TempDir
  static Path sockets;

  @Override
  protected BadInputTarget startTarget(List<String> serverOptions) throws IOException {
    return ListeningServerTarget.start("unix://" + sockets.resolve("bad-input.sock"),
        this::openRawStream, true, new ProcessResources(), serverOptions);
  }

  private RawStream openRawStream(String target) throws IOException {
    AFUNIXSocket socket = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(Path.of(
        URI.create(target).getPath())));
    socket.setSoTimeout(10_000);
    InputStream in = socket.getInputStream();
    OutputStream out = socket.getOutputStream();
    return new RawStream() {
      @Override
      public InputStream in() {
        return in;
      }

      @Override
      public OutputStream out() {
        return out;
      }

      @Override
      public void close() throws IOException {
        socket.close();
      }
    };
  }
}
