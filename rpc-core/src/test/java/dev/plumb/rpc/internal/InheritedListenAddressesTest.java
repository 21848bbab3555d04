package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What {@code fd:N} and {@code systemd:NAME} name, and what happens when no transport takes a
 * descriptor. The transport here is a fake that takes the descriptors it is told to, on
 * descriptors this JVM opens; the real transports are tested in their modules, and
 * {@code systemd:} with real inherited descriptors (which a process can serve once) in the
 * daemon's tests.
 */
@Timeout(10)
class InheritedListenAddressesTest {
  private static final long PID = 77;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeOpened() throws Exception {
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
  }

  @Test
  void aSocketIsTakenByTheFirstTransportThatKnowsItWithItsOptions() throws Exception {
    ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    opened.add(socket);
    int fd = descriptorLinkingTo("socket:[" + listeningInode(socket.getLocalPort()) + "]");
    FakeTransport refuses = new FakeTransport(Set.of());
    FakeTransport takes = new FakeTransport(Set.of(fd));
    assertEquals(List.of(new PlumbAddress(URI.create("fake://" + fd + "?x=1"))),
        InheritedListenAddresses.resolve("fd:" + fd + "?x=1", List.of(refuses, takes, refuses),
            Map.of(), PID));
    assertEquals(List.of("x=1"), refuses.options);

    String message = refused("fd:" + fd, refuses);
    assertTrue(message.startsWith("'fd:" + fd + "': descriptor " + fd + " is a socket that no"
        + " transport on the class path serves (asked fake)"), message);
  }

  @Test
  void aFileAClosedDescriptorOrNoNumberIsRefusedBeforeAnyTransportIsAsked() throws Exception {
    Path file = Files.createTempFile("plumb-inherited-", ".txt");
    opened.add(() -> Files.delete(file));
    opened.add(FileChannel.open(file));
    int fd = descriptorLinkingTo(file.toRealPath().toString());
    FakeTransport never = new FakeTransport(Set.of());
    assertEquals("'fd:" + fd + "': descriptor " + fd + " is not a socket but " + file,
        refused("fd:" + fd, never));
    assertEquals("'fd:999999': descriptor 999999 is not open in this process",
        refused("fd:999999", never));
    assertTrue(refused("fd:three", never).startsWith("'fd:three': 'three' is not a descriptor"
        + " number; expected systemd:, systemd:NAME or fd:N"));
    assertEquals(List.of(), never.options);
  }

  @Test
  void aNameSystemdDidNotPassIsRefusedWithTheNamesItDid() {
    String message = assertThrows(IllegalArgumentException.class,
        () -> InheritedListenAddresses.resolve("systemd:admin", List.of(),
            Map.of("LISTEN_FDS", "2", "LISTEN_PID", "77", "LISTEN_FDNAMES", "api:metrics"), PID))
        .getMessage();
    assertEquals("'systemd:admin': systemd passed no socket named 'admin'; its names"
        + " (LISTEN_FDNAMES, from FileDescriptorName=) are api, metrics", message);
  }

  @Test
  void onlyTheTwoSchemesAreInherited() {
    assertTrue(InheritedListenAddresses.isInherited("systemd:"));
    assertTrue(InheritedListenAddresses.isInherited("FD:3"));
    assertFalse(InheritedListenAddresses.isInherited("tcp://127.0.0.1:0"));
    assertFalse(InheritedListenAddresses.isInherited("fdx:3"));
  }

  private static String refused(String address, PlumbTransport transport) {
    return assertThrows(IllegalArgumentException.class, () -> InheritedListenAddresses.resolve(
        address, List.of(transport), Map.of(), PID)).getMessage();
  }

  /**
   * The descriptor of this process whose /proc link reads {@code target}. Found by what it is,
   * not by diffing the open descriptors: another thread may close one meanwhile and free its
   * number for the one opened here.
   */
  private static int descriptorLinkingTo(String target) throws IOException {
    List<Integer> found = new ArrayList<>();
    try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        if (target.equals(linkOf(entry))) {
          found.add(Integer.parseInt(entry.getFileName().toString()));
        }
      }
    }
    assertEquals(1, found.size(), "descriptors linking to " + target + ": " + found);
    return found.get(0);
  }

  /** Where a descriptor's entry links, or null if it was closed while the entries were read. */
  private static String linkOf(Path entry) {
    try {
      return Files.readSymbolicLink(entry).toString();
    } catch (IOException closedMeanwhile) {
      return null;
    }
  }

  /** The socket inode of this host's TCP listener on {@code port}, from /proc/net/tcp(6). */
  private static String listeningInode(int port) throws IOException {
    String localPort = String.format(":%04X", port);
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : Files.readAllLines(Path.of(table))) {
        String[] columns = line.trim().split("\\s+");
        // columns: sl, local_address, rem_address, st (0A is LISTEN), ..., inode is the tenth
        if (columns[1].endsWith(localPort) && columns[3].equals("0A")) {
          return columns[9];
        }
      }
    }
    throw new AssertionError("no TCP listener on port " + port);
  }

  /** A transport that takes the descriptors it was given, and records the options. */
  private static final class FakeTransport implements PlumbTransport {
    private final Set<Integer> takes;
    final List<String> options = new ArrayList<>();

    FakeTransport(Set<Integer> takes) {
      this.takes = takes;
    }

    @Override
    public Set<String> schemes() {
      return Set.of("fake");
    }

    @Override
    public PlumbAddress parse(URI uri) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Connection> connect(PlumbAddress address) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Listener listen(PlumbAddress address, Consumer<Connection> onAccept) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<PlumbAddress> adopt(int fd, String options) {
      this.options.add(options);
      return takes.contains(fd) ? Optional.of(new PlumbAddress(URI.create("fake://" + fd
          + (options == null ? "" : "?" + options)))) : Optional.empty();
    }
  }
}
