package dev.plumb.transport.unix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Binds a server socket so that its file appears at its path with its final mode, and sets that
 * mode where no symbolic link can be in the way:
 * <ol>
 *   <li>create a private directory beside the path, {@code .plumb-NAME-XXXXXX} (random hex
 *       digits), mode 0700 from its creation ({@code mkdir} with that mode; the umask can only
 *       narrow it);
 *   <li>bind the socket in it, as {@code s}. junixsocket creates the file there and sets its mode
 *       to 0666 by a {@code chmod} of the path; only this user and root can reach it there;
 *   <li>set the mode there, where nobody else can have put a link in the socket's place;
 *   <li>hard-link it to the path: {@code link(2)} fails if anything, a symbolic link included,
 *       is there already, follows nothing, and the file appears at once with its mode.
 * </ol>
 * The private name stays while the server listens, because junixsocket closes a listening
 * socket whose bound file is gone (it compares the bound path's inode on every accept); the
 * listener removes it when it closes, and the next listener on the path removes those that
 * a server which died left behind ({@link #privateNames}).
 *
 * <p>Why not the alternatives: Java cannot set the umask (and it is process-wide); a
 * {@code chmod} of the socket before binding does set the new file's mode on Linux, but
 * junixsocket's own {@code chmod} to 0666 after binding widens it again, at the final path;
 * binding privately and renaming, or linking and unlinking the private name, would leave
 * junixsocket's socket without its bound file.
 *
 * <p>The price: the private path is {@value #EXTRA_BYTES} bytes longer than the socket path, so
 * a server's socket path may be at most {@value #MAX_SERVER_PATH_BYTES} bytes.
 */
final class SocketFileBinder {
  private static final String PRIVATE_PREFIX = ".plumb-";
  private static final int RANDOM_DIGITS = 6;
  private static final String PRIVATE_NAME = "s";
  private static final int ATTEMPTS = 10;
  /** How much longer the private path is: {@code .plumb-}, {@code -XXXXXX} and {@code /s}. */
  static final int EXTRA_BYTES = PRIVATE_PREFIX.length() + 1 + RANDOM_DIGITS + 1
      + PRIVATE_NAME.length();
  static final int MAX_SERVER_PATH_BYTES = UnixEndpoint.MAX_ADDRESS_BYTES - EXTRA_BYTES;

  private SocketFileBinder() {}

  /**
   * Binds {@code server} for {@code path} with permission bits {@code mode}; nothing may be at
   * {@code path}.
   *
   * @return the file's key (its inode), to recognize it and its private name later
   * @throws IOException if it cannot be bound; the message says why
   */
  static Object bind(AFUNIXServerSocket server, Path path, int mode, int backlog)
      throws IOException {
    int bytes = path.toString().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_SERVER_PATH_BYTES) {
      throw new IOException("a server's socket path may be at most " + MAX_SERVER_PATH_BYTES
          + " bytes (it is bound in a private directory beside it first); this one is " + bytes
          + "; choose a shorter directory or name");
    }
    Path bound = createPrivateDirectory(path).resolve(PRIVATE_NAME);
    try {
      server.bind(AFUNIXSocketAddress.of(bound), backlog);
      Files.setPosixFilePermissions(bound, permissions(mode));
      Files.createLink(path, bound);
      return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          .fileKey();
    } catch (IOException | RuntimeException e) {
      try {
        removePrivateName(bound);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private static Path createPrivateDirectory(Path path) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Path directory = path.resolveSibling(privatePrefix(path) + String.format("%06x",
          ThreadLocalRandom.current().nextInt(1 << (4 * RANDOM_DIGITS))));
      try {
        return Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE)));
      } catch (FileAlreadyExistsException e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private static String privatePrefix(Path path) {
    return PRIVATE_PREFIX + path.getFileName() + "-";
  }

  /**
   * The private names of {@code path} that exist: {@code s} in each private directory beside it
   * (the name may be missing if a bind failed half-way).
   */
  static List<Path> privateNames(Path path) throws IOException {
    String prefix = privatePrefix(path);
    List<Path> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(path.getParent(), entry -> {
      String name = entry.getFileName().toString();
      return name.startsWith(prefix)
          && name.substring(prefix.length()).matches("[0-9a-f]{" + RANDOM_DIGITS + "}")
          && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS);
    })) {
      entries.forEach(directory -> names.add(directory.resolve(PRIVATE_NAME)));
    }
    return names;
  }

  /** Removes the private name of the file {@code fileKey} at {@code path}, if it has one. */
  static void removePrivateName(Path path, Object fileKey) throws IOException {
    for (Path name : privateNames(path)) {
      try {
        if (fileKey.equals(Files.readAttributes(name, PosixFileAttributes.class,
            LinkOption.NOFOLLOW_LINKS).fileKey())) {
          removePrivateName(name);
        }
      } catch (NoSuchFileException e) {
        // Another listener's, half made or half removed.
      }
    }
  }

  /** Removes a private name and its directory, after its socket was closed. */
  static void removePrivateName(Path name) throws IOException {
    Files.deleteIfExists(name);
    Files.delete(name.getParent());
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values();  // OWNER_READ ... OTHERS_EXECUTE
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (0400 >> i)) != 0) {
        permissions.add(bits[i]);
      }
    }
    return permissions;
  }
}
