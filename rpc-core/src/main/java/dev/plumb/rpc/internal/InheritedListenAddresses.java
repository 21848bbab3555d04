package dev.plumb.rpc.internal;

import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The listen addresses that name sockets this process inherited already listening, instead of
 * an address to bind: {@code systemd:} (every socket systemd passed, {@link SystemdSockets}),
 * {@code systemd:NAME} (those named NAME) and {@code fd:N} (descriptor N, from any parent),
 * each optionally with {@code ?options} for the transport that serves it. The transport is
 * found by asking each one whether the descriptor is a socket of its kind
 * ({@link PlumbTransport#adopt}); each becomes an address of that transport.
 *
 * <p>The server that serves a descriptor closes it when it stops. A descriptor systemd passed
 * is served once per process: a second listen address that names it is refused, since its
 * number may by then belong to anything the process opened since. {@code fd:N} hands over a
 * descriptor the application vouches for; it is not checked against earlier uses.
 */
public final class InheritedListenAddresses {
  private static final String FD = "fd";
  private static final String SYSTEMD = "systemd";
  private static final String FORMS = "expected systemd:, systemd:NAME or fd:N, optionally"
      + " followed by ?options for the transport";
  /** Descriptors of systemd's handed to a transport already. Guarded by the class. */
  private static final Set<Integer> SYSTEMD_TAKEN = new HashSet<>();

  private InheritedListenAddresses() {}

  /** Whether {@code listenAddress} names inherited sockets ({@code systemd:} or {@code fd:}). */
  public static boolean isInherited(String listenAddress) {
    String scheme = schemeOf(listenAddress);
    return scheme.equals(SYSTEMD) || scheme.equals(FD);
  }

  /**
   * The addresses of the sockets that {@code listenAddress} names, from this process's
   * environment, each claimed for the transport that serves it.
   *
   * @throws IllegalArgumentException saying which socket cannot be served and why
   */
  public static List<PlumbAddress> resolve(String listenAddress,
      Collection<PlumbTransport> transports) {
    return resolve(listenAddress, transports, System.getenv(), ProcessHandle.current().pid());
  }

  static List<PlumbAddress> resolve(String listenAddress, Collection<PlumbTransport> transports,
      Map<String, String> environment, long pid) {
    String rest = listenAddress.substring(listenAddress.indexOf(':') + 1);
    int question = rest.indexOf('?');
    String part = question < 0 ? rest : rest.substring(0, question);
    String options = question < 0 ? null : rest.substring(question + 1);
    List<Integer> descriptors = new ArrayList<>();
    boolean systemd = schemeOf(listenAddress).equals(SYSTEMD);
    try {
      if (!systemd) {
        if (!part.matches("[0-9]{1,9}")) {
          throw new IllegalArgumentException("'" + part + "' is not a descriptor number; "
              + FORMS);
        }
        descriptors.add(Integer.parseInt(part));
      } else {
        descriptors.addAll(systemdDescriptors(part, environment, pid));
      }
      List<PlumbAddress> addresses = new ArrayList<>();
      for (int fd : descriptors) {
        addresses.add(systemd ? adoptOnce(fd, options, transports)
            : adopt(fd, options, transports));
      }
      return addresses;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + listenAddress + "': " + e.getMessage(), e);
    }
  }

  private static List<Integer> systemdDescriptors(String name, Map<String, String> environment,
      long pid) {
    List<SystemdSockets.Socket> passed = SystemdSockets.from(environment, pid);
    List<Integer> chosen = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (SystemdSockets.Socket socket : passed) {
      names.add(socket.name());
      if (name.isEmpty() || socket.name().equals(name)) {
        chosen.add(socket.fd());
      }
    }
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException("systemd passed no socket named '" + name + "'; its"
          + " names (LISTEN_FDNAMES, from FileDescriptorName=) are " + String.join(", ", names));
    }
    return chosen;
  }

  /** As {@link #adopt}, for a descriptor that this process may serve once. */
  private static PlumbAddress adoptOnce(int fd, String options,
      Collection<PlumbTransport> transports) {
    synchronized (InheritedListenAddresses.class) {
      if (!SYSTEMD_TAKEN.add(fd)) {
        throw new IllegalArgumentException("descriptor " + fd + " is served by another listen"
            + " address of this process already; a socket systemd passed can be served once");
      }
    }
    boolean adopted = false;
    try {
      PlumbAddress address = adopt(fd, options, transports);
      adopted = true;
      return address;
    } finally {
      if (!adopted) {
        synchronized (InheritedListenAddresses.class) {
          SYSTEMD_TAKEN.remove(fd);
        }
      }
    }
  }

  /** The address of the first transport that takes {@code fd}. */
  private static PlumbAddress adopt(int fd, String options,
      Collection<PlumbTransport> transports) {
    checkIsSocket(fd);
    List<String> asked = new ArrayList<>();
    for (PlumbTransport transport : transports) {
      Optional<PlumbAddress> address = transport.adopt(fd, options);
      if (address.isPresent()) {
        return address.get();
      }
      asked.add(String.join("/", new TreeSet<>(transport.schemes())));
    }
    throw new IllegalArgumentException("descriptor " + fd + " is a socket that no transport"
        + " on the class path serves (asked " + String.join(", ", asked) + "): it must be a"
        + " listening stream socket, TCP for tcp: (on Linux, with Netty's epoll) or Unix"
        + " domain for unix:");
  }

  /** Where the process's descriptors can be seen (Linux), says what {@code fd} is if no socket. */
  private static void checkIsSocket(int fd) {
    Path descriptors = Path.of("/proc/self/fd");
    if (!Files.isDirectory(descriptors)) {
      return;
    }
    Path link = descriptors.resolve(Integer.toString(fd));
    if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException("descriptor " + fd + " is not open in this process");
    }
    try {
      String target = Files.readSymbolicLink(link).toString();
      if (!target.startsWith("socket:")) {
        throw new IllegalArgumentException("descriptor " + fd + " is not a socket but "
            + target);
      }
    } catch (IOException e) {
      // Closed in between, or not readable: the transports' own checks decide.
    }
  }

  private static String schemeOf(String address) {
    int colon = address.indexOf(':');
    return colon < 0 ? "" : address.substring(0, colon).trim().toLowerCase(Locale.ROOT);
  }
}
