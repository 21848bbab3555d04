package dev.plumb.transport.tcp;

import dev.plumb.rpc.testing.AbstractPlumbInteropTest;
import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** grpc-java's interop suite over TCP with mutual TLS. */
public class TcpTlsInteropTest extends AbstractPlumbInteropTest {
  private static final TlsFiles TLS = certificatesDeletedAtExit();

  /**
   * The suite is JUnit 4, without JUnit 5's temporary directories: the files are deleted when
   * the JVM exits, before their directory (the reverse of the order they were registered in).
   */
  private static TlsFiles certificatesDeletedAtExit() {
    try {
      Path directory = Files.createTempDirectory("plumb-tls-interop");
      directory.toFile().deleteOnExit();
      TlsFiles files = TlsFiles.in(directory);
      try (Stream<Path> written = Files.list(directory)) {
        written.forEach(file -> file.toFile().deleteOnExit());
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected String listenAddress() {
    return "tcp://127.0.0.1:0";
  }

  @Override
  protected ServerCredentials serverCredentials() {
    return TLS.serverCredentials(true);
  }

  @Override
  protected ChannelCredentials channelCredentials() {
    return TLS.channelCredentials(true);
  }
}
