package dev.plumb.transport.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;

/** A peer that connects in a loop, each connection dropped, cannot flood the listener's log. */
@Timeout(30)
class UnixListenerWarningsTest {
  @TempDir
  Path dir;

  @Test
  void aPeerConnectingInALoopGetsALimitedNumberOfWarningLines() throws Exception {
    int dropped = UnixListener.PEER_WARNINGS_PER_MINUTE * 3;
    UnixEndpoint endpoint = UnixEndpoint.parse(URI.create("unix://" + dir.resolve("flood.sock")));
    AtomicInteger accepted = new AtomicInteger();
    CountDownLatch lastOneServed = new CountDownLatch(1);
    String log;
    try (StderrCapture capture = new StderrCapture()) {
      UnixListener listener = UnixListener.open(endpoint, (socket, peer, local, remote) -> {
        if (accepted.incrementAndGet() <= dropped) {
          throw new IOException("not this one");
        }
        socket.close();
        lastOneServed.countDown();
      });
      try {
        for (int i = 0; i <= dropped; i++) {
          try (AFUNIXSocket socket = UnixTransport.connectSocket(endpoint)) {
            // Connected; the listener drops it.
          }
        }
        // One thread accepts in order: the last, served, connection comes after every warning.
        assertTrue(lastOneServed.await(20, TimeUnit.SECONDS), "the last connection was served");
      } finally {
        listener.close();
      }
      log = capture.text();
    }
    Matcher lines = Pattern.compile(Pattern.quote(endpoint.address() + ": dropping a connection:"
        + " not this one")).matcher(log);
    int written = 0;
    while (lines.find()) {
      written++;
    }
    assertEquals(UnixListener.PEER_WARNINGS_PER_MINUTE, written, log);
  }
}
