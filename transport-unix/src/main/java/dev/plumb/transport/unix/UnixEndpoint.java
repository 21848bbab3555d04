package dev.plumb.transport.unix;

import dev.plumb.rpc.kit.IdleMode;
import dev.plumb.rpc.spi.PlumbAddress;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A parsed {@code unix:} or {@code unix-abstract:} address: a socket file (absolute, normalized)
 * or a name in Linux's abstract namespace, and the server options from its query.
 *
 * <pre>
 *   unix:///run/app.sock          absolute path
 *   unix:/run/app.sock            the same
 *   unix:sockets/app.sock         relative to the working directory, made absolute here
 *   unix-abstract:app             the abstract name "app" (Linux; no file)
 *   ...?mode=0660&amp;allowUids=1000  options, see {@link UnixOptions}
 *   ...?serverUids=1000            a client's option, see {@link TrustedServer}
 *   ...?idle=poll                  either side's latency mode, see {@link IdleMode}
 * </pre>
 *
 * <p>Other transports' rendezvous addresses ({@link UnixRendezvous}) are socket files in the
 * same forms under their own scheme, with options of their own besides these
 * ({@link #parseFile}).
 */
final class UnixEndpoint {
  static final String FILE_SCHEME = "unix";
  static final String ABSTRACT_SCHEME = "unix-abstract";
  /** sun_path holds 108 bytes on Linux, the last one for the terminating zero. */
  static final int MAX_ADDRESS_BYTES = 107;

  private static final String FORMS = "expected unix:///absolute/path.sock, unix:relative/path.sock"
      + " or unix-abstract:name, optionally with ?mode=0600&allowUids=...&allowGids=..."
      + "&serverUids=...&idle=poll";

  /** The scheme the address was written with ({@code unix}, or another transport's). */
  private final String scheme;
  /** The absolute socket file; null for an abstract address. */
  private final Path path;
  /** The abstract name; null for a file. */
  private final String abstractName;
  private final UnixOptions options;

  private UnixEndpoint(String scheme, Path path, String abstractName, UnixOptions options) {
    this.scheme = scheme;
    this.path = path;
    this.abstractName = abstractName;
    this.options = options;
  }

  /**
   * @throws IllegalArgumentException naming what is wrong and the accepted forms
   */
  static UnixEndpoint parse(URI uri) {
    return parse(uri, List.of());
  }

  /**
   * As {@link #parse(URI)}, accepting {@code extraKeys} besides the options of {@code unix:}
   * ({@code idle} among them), whose values are kept undecided for the caller
   * ({@link #extraOption}).
   */
  static UnixEndpoint parse(URI uri, List<String> extraKeys) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    String[] parts = split(uri, FILE_SCHEME, FORMS);
    List<String> keys = new ArrayList<>(List.of(IdleMode.KEY));
    keys.addAll(extraKeys);
    UnixEndpoint endpoint;
    if (scheme.equals(ABSTRACT_SCHEME)) {
      endpoint = abstractEndpoint(parts[0], parts[1], uri, keys);
    } else if (scheme.equals(FILE_SCHEME)) {
      endpoint = fileEndpoint(FILE_SCHEME, parts[0], parts[1], uri, keys, FORMS);
    } else {
      throw new IllegalArgumentException("'" + uri + "' is not a Unix socket address; " + FORMS);
    }
    IdleMode.parse(endpoint.extraOption(IdleMode.KEY), uri.toString());  // Checks the value.
    return endpoint;
  }

  /** How this {@code unix:} address's side waits for the link ({@link IdleMode}). */
  IdleMode idleMode() {
    return IdleMode.parse(extraOption(IdleMode.KEY), describe());
  }

  /** The address with its options, {@code idle} among them, in a canonical form. */
  PlumbAddress canonicalWithIdleMode() {
    return canonical(idleOption());
  }

  /** The {@code idle} option as a canonical address writes it; null for the default. */
  String idleOption() {
    IdleMode idle = idleMode();
    return idle == IdleMode.BLOCK ? null : idle.option();
  }

  /**
   * Parses a socket-file address of another transport's {@code scheme}, e.g.
   * {@code shm:///run/app.sock?ringSize=1m&mode=0660}: the same path forms and checks as
   * {@code unix:}, the options {@code mode}, {@code allowUids} and {@code allowGids}, and besides
   * them {@code extraKeys}, whose values are kept undecided for the caller ({@link #extraOption}).
   *
   * @param forms the accepted forms, for error messages
   * @throws IllegalArgumentException naming what is wrong and the accepted forms or keys
   */
  static UnixEndpoint parseFile(URI uri, String scheme, List<String> extraKeys,
      String forms) {
    if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("'" + uri + "' is not a " + scheme + ": address; "
          + forms);
    }
    String[] parts = split(uri, scheme, forms);
    return fileEndpoint(scheme, parts[0], parts[1], uri, extraKeys, forms);
  }

  /** The decoded path or name, and the raw query (null if none), of {@code uri}. */
  private static String[] split(URI uri, String scheme, String forms) {
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException("'" + uri + "' has a fragment (#...); " + forms);
    }
    String rawPart;
    String rawQuery;
    if (uri.isOpaque()) {
      String ssp = uri.getRawSchemeSpecificPart();
      int q = ssp.indexOf('?');
      rawPart = q < 0 ? ssp : ssp.substring(0, q);
      rawQuery = q < 0 ? null : ssp.substring(q + 1);
    } else {
      if (uri.getRawAuthority() != null) {
        throw new IllegalArgumentException("'" + uri + "' names a host ('" + uri.getRawAuthority()
            + "'), which a Unix socket address has none of; for an absolute path write three"
            + " slashes (" + scheme + ":///path.sock), for a relative one none (" + scheme
            + ":path.sock)");
      }
      rawPart = uri.getRawPath();
      rawQuery = uri.getRawQuery();
    }
    String part = rawPart == null || rawPart.isEmpty() ? "" : decode(rawPart, uri);
    // A bare "unix:" reaches here as "unix:/" (the registry gives a URI a path).
    if (part.isEmpty() || part.equals("/")) {
      throw new IllegalArgumentException("'" + uri + "' names no socket; " + forms);
    }
    return new String[] {part, rawQuery};
  }

  private static UnixEndpoint fileEndpoint(String scheme, String part, String rawQuery, URI uri,
      List<String> extraKeys, String forms) {
    if (part.endsWith("/")) {
      throw new IllegalArgumentException("'" + uri + "' names a directory, not a socket file; "
          + forms);
    }
    if (part.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("'" + uri + "' has a zero byte in its path");
    }
    Path path;
    try {
      path = Paths.get(part).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("'" + uri + "' is not a valid path: " + e.getMessage());
    }
    if (path.getParent() == null) {
      throw new IllegalArgumentException("'" + uri + "' names the root directory; " + forms);
    }
    int bytes = path.toString().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_ADDRESS_BYTES) {
      throw new IllegalArgumentException("'" + uri + "': the socket path " + path + " is " + bytes
          + " bytes long; Unix socket paths are limited to " + MAX_ADDRESS_BYTES
          + " bytes, so choose a shorter directory (the path is absolute once resolved)");
    }
    return new UnixEndpoint(scheme, path, null,
        UnixOptions.parse(rawQuery, true, uri.toString(), extraKeys));
  }

  private static UnixEndpoint abstractEndpoint(String name, String rawQuery, URI uri,
      List<String> extraKeys) {
    if (name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("'" + uri + "' has a zero byte in its name");
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_ADDRESS_BYTES - 1) {
      throw new IllegalArgumentException("'" + uri + "': the abstract name is " + bytes
          + " bytes long; the limit is " + (MAX_ADDRESS_BYTES - 1));
    }
    return new UnixEndpoint(ABSTRACT_SCHEME, null, name,
        UnixOptions.parse(rawQuery, false, uri.toString(), extraKeys));
  }

  private static String decode(String raw, URI uri) {
    try {
      // Percent escapes only ('+' stays '+'), as in any URI path.
      return new URI("x:" + raw).getSchemeSpecificPart();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + uri + "' is not a valid address: " + e.getMessage());
    }
  }

  boolean isFile() {
    return path != null;
  }

  /** The socket file; only for file addresses. */
  Path path() {
    return path;
  }

  UnixOptions options() {
    return options;
  }

  /** The value of one of the extra keys given to {@link #parseFile}, or null if absent. */
  String extraOption(String key) {
    return options.extra.get(key);
  }

  /** The values of the extra keys given to {@link #parseFile}, in the order written. */
  Map<String, String> extraOptions() {
    return options.extra;
  }

  /** The address without options: what clients connect to, and what servers report. */
  PlumbAddress address() {
    return toAddress(null);
  }

  /** The address with its options, in a canonical form. */
  PlumbAddress canonical() {
    return toAddress(options.toQuery());
  }

  /**
   * The address with its access options in canonical form, followed by {@code extraQuery}
   * (the caller's own options, already canonical; null for none).
   */
  PlumbAddress canonical(String extraQuery) {
    String own = options.toQuery();
    String query = own == null ? extraQuery : extraQuery == null ? own : own + "&" + extraQuery;
    return toAddress(query);
  }

  private PlumbAddress toAddress(String query) {
    try {
      URI uri = path != null
          ? new URI(scheme, "", path.toString(), query, null)
          : new URI(ABSTRACT_SCHEME, name() + (query == null ? "" : "?" + query), null);
      return new PlumbAddress(uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot form a URI for " + describe(), e);
    }
  }

  private String name() {
    return abstractName;
  }

  /** What the socket is, for messages: the file's path, or {@code abstract name "x"}. */
  String describe() {
    return path != null ? path.toString() : "abstract name \"" + abstractName + "\"";
  }

  AFUNIXSocketAddress socketAddress() throws SocketException {
    return path != null ? AFUNIXSocketAddress.of(path)
        : AFUNIXSocketAddress.inAbstractNamespace(abstractName);
  }
}
