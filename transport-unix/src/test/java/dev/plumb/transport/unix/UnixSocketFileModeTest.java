package dev.plumb.transport.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The socket file has its final mode from the moment it exists at its path, the listener never
 * follows a symbolic link there, and the private name it binds first does not outlive it.
 */
@Timeout(60)
class UnixSocketFileModeTest {
  private static final UnixRendezvous.Acceptor CLOSE = (socket, peer, local, remote) ->
      socket.close();

  @TempDir
  Path dir;

  @Test
  void aWatcherNeverSeesAPrivateSocketFileWithAWiderMode() throws Exception {
    assertNeverWider("private.sock", "0600", "rw-------");
  }

  @Test
  void aWatcherNeverSeesASharedSocketFileWithAWiderModeThoughTheUmaskNarrowsIt()
      throws Exception {
    assertNeverWider("shared.sock", "0666", "rw-rw-rw-");
  }

  /**
   * Opens and closes listeners with {@code mode} on a path while a watcher reads the file's mode
   * as often as it can: it must see the mode asked for, never one with other bits, and nothing
   * may be left beside the file.
   */
  private void assertNeverWider(String name, String mode, String wanted) throws Exception {
    Path path = dir.resolve(name);
    UnixEndpoint endpoint = UnixEndpoint.parse(URI.create("unix://" + path + "?mode=" + mode));
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread watcher = new Thread(() -> {
      while (watching.get()) {
        try {
          seen.add(permissions(path));
        } catch (NoSuchFileException e) {
          // Not there at this instant.
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    });
    watcher.start();
    try {
      for (int i = 0; i < 300; i++) {
        UnixListener.open(endpoint, CLOSE).close();
      }
    } finally {
      watching.set(false);
      watcher.join();
    }
    assertTrue(seen.contains(wanted), "the file never had its mode: " + seen);
    Set<PosixFilePermission> allowed = PosixFilePermissions.fromString(wanted);
    for (String each : seen) {
      assertTrue(allowed.containsAll(PosixFilePermissions.fromString(each)),
          "seen " + each + ", wider than " + wanted);
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(), left.toList());
    }
  }

  @Test
  void thePrivateNameADeadServerLeftIsRemovedByTheNextListener() throws Exception {
    Path path = dir.resolve("app.sock");
    Path leftover = Files.createDirectory(dir.resolve(".plumb-app.sock-00c0de"));
    try (AFUNIXServerSocket dead = AFUNIXServerSocket.newInstance()) {
      dead.setDeleteOnClose(false);
      dead.bind(AFUNIXSocketAddress.of(leftover.resolve("s")));
    }
    UnixEndpoint endpoint = UnixEndpoint.parse(URI.create("unix://" + path));
    UnixListener.open(endpoint, CLOSE).close();
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(), left.toList());
    }
  }

  @Test
  void aServerPathTooLongForItsPrivateNameIsAnErrorSayingSo() {
    int room = SocketFileBinder.MAX_SERVER_PATH_BYTES + 1 - dir.toString().length() - 1;
    Path path = dir.resolve("x".repeat(room));
    UnixEndpoint endpoint = UnixEndpoint.parse(URI.create("unix://" + path));
    IOException e = assertThrows(IOException.class, () -> UnixListener.open(endpoint, CLOSE));
    assertTrue(e.getMessage().contains("a server's socket path may be at most "
        + SocketFileBinder.MAX_SERVER_PATH_BYTES + " bytes"), e.getMessage());
  }

  @Test
  void aSymbolicLinkAtThePathIsNeitherFollowedNorReplaced() throws Exception {
    Path target = Files.createFile(dir.resolve("target"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
    Path path = Files.createSymbolicLink(dir.resolve("link.sock"), target);
    UnixEndpoint endpoint = UnixEndpoint.parse(URI.create("unix://" + path + "?mode=0666"));
    IOException e = assertThrows(IOException.class, () -> UnixListener.open(endpoint, CLOSE));
    assertTrue(e.getMessage().contains("not a socket"), e.getMessage());
    assertTrue(Files.isSymbolicLink(path));
    assertEquals("rw-r-----", permissions(target));
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path,
        LinkOption.NOFOLLOW_LINKS));
  }
}
