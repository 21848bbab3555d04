package dev.plumb.transport.unix;

import dev.plumb.rpc.kit.UriOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * The options of an address's query:
 * {@code unix:///run/app.sock?mode=0660&allowUids=1000,1001&allowGids=100&serverUids=1000}.
 * {@code mode}, {@code allowUids} and {@code allowGids} are the server's, which clients ignore;
 * {@code serverUids} is the client's, which servers ignore, so one string can serve both sides.
 * Every key is checked: an unknown or repeated key, or a bad value, is an error that names the
 * key and the accepted keys.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>value</th><th>default</th></tr>
 *   <tr><td>{@code mode}</td><td>the socket file's permission bits, octal, 0000 to 0777; file
 *       addresses only</td><td>0600</td></tr>
 *   <tr><td>{@code allowUids}</td><td>comma-separated numeric user ids admitted besides the
 *       server's own uid and root</td><td>none</td></tr>
 *   <tr><td>{@code allowGids}</td><td>comma-separated numeric group ids: a peer whose
 *       effective gid is one of them is admitted</td><td>none</td></tr>
 *   <tr><td>{@code serverUids}</td><td>comma-separated numeric user ids a client trusts as the
 *       server besides its own uid and root ({@link TrustedServer})</td><td>none</td></tr>
 * </table>
 */
final class UnixOptions {
  static final String MODE = "mode";
  static final String ALLOW_UIDS = "allowUids";
  static final String ALLOW_GIDS = "allowGids";
  static final String SERVER_UIDS = "serverUids";
  static final int DEFAULT_MODE = 0600;
  /** uid_t and gid_t are 32 bits; (uid_t) -1 means "no id". */
  private static final long MAX_ID = 0xFFFF_FFFEL;

  /** The permission bits of the socket file, or -1 for an abstract address (no file). */
  final int mode;
  final Set<Long> allowUids;
  final Set<Long> allowGids;
  /** The uids a client trusts as the server besides its own and root; empty if not given. */
  final Set<Long> serverUids;
  /** Values of the keys another transport added (shm:'s ringSize, say), checked by it. */
  final Map<String, String> extra;

  private UnixOptions(int mode, Set<Long> allowUids, Set<Long> allowGids, Set<Long> serverUids,
      Map<String, String> extra) {
    this.mode = mode;
    this.allowUids = Collections.unmodifiableSet(allowUids);
    this.allowGids = Collections.unmodifiableSet(allowGids);
    this.serverUids = Collections.unmodifiableSet(serverUids);
    this.extra = Collections.unmodifiableMap(extra);
  }

  static UnixOptions defaults(boolean socketFile) {
    return new UnixOptions(socketFile ? DEFAULT_MODE : -1, new TreeSet<>(), new TreeSet<>(),
        new TreeSet<>(), Map.of());
  }

  /**
   * Parses {@code rawQuery} (null or empty for none) of {@code uri}.
   *
   * @param socketFile whether the address names a file (only then is {@code mode} accepted)
   * @param extraKeys keys accepted besides these, whose values are kept as written
   * @throws IllegalArgumentException naming the bad key or value and the accepted keys
   */
  static UnixOptions parse(String rawQuery, boolean socketFile, String uri,
      List<String> extraKeys) {
    List<String> base = socketFile ? List.of(MODE, ALLOW_UIDS, ALLOW_GIDS, SERVER_UIDS)
        : List.of(ALLOW_UIDS, ALLOW_GIDS, SERVER_UIDS);
    if (!socketFile && rawQuery != null && Arrays.stream(rawQuery.split("&"))
        .anyMatch(pair -> pair.equals(MODE) || pair.startsWith(MODE + "="))) {
      List<String> accepted = new ArrayList<>(extraKeys);
      accepted.addAll(base);
      throw new IllegalArgumentException("'" + uri + "': 'mode' applies to socket files only; an"
          + " abstract address has no file; accepted options: " + String.join(", ", accepted));
    }
    List<String> accepted = new ArrayList<>(extraKeys);
    accepted.addAll(base);
    UriOptions options = UriOptions.parse(rawQuery, true, uri, accepted);
    int mode = socketFile ? DEFAULT_MODE : -1;
    if (options.get(MODE) != null) {
      mode = parseMode(options);
    }
    Map<String, String> extra = new LinkedHashMap<>();
    for (String key : extraKeys) {
      if (options.get(key) != null) {
        extra.put(key, options.get(key));
      }
    }
    return new UnixOptions(mode, parseIds(options, ALLOW_UIDS, "user"),
        parseIds(options, ALLOW_GIDS, "group"), parseIds(options, SERVER_UIDS, "user"), extra);
  }

  private static int parseMode(UriOptions options) {
    String value = options.get(MODE);
    if (!value.matches("[0-7]{3,4}") || Integer.parseInt(value, 8) > 0777) {
      throw options.invalid(MODE, "must be octal permission bits from 000 to 0777, e.g."
          + " mode=0660; got '" + value + "'");
    }
    return Integer.parseInt(value, 8);
  }

  private static Set<Long> parseIds(UriOptions options, String key, String what) {
    Set<Long> ids = new TreeSet<>();
    String value = options.get(key);
    if (value == null) {
      return ids;
    }
    for (String part : value.split(",", -1)) {
      String id = part.trim();
      long parsed = -1;
      if (id.matches("[0-9]{1,10}")) {
        parsed = Long.parseLong(id);
      }
      if (parsed < 0 || parsed > MAX_ID) {
        throw options.invalid(key, "must be numeric " + what + " ids separated by commas, e.g. "
            + key + "=1000,1001; got '" + part + "'");
      }
      ids.add(parsed);
    }
    return ids;
  }

  /** The options that differ from the defaults, as a query in a fixed order; null if none. */
  String toQuery() {
    StringJoiner query = new StringJoiner("&");
    if (mode >= 0 && mode != DEFAULT_MODE) {
      query.add(MODE + "=" + String.format("%04o", mode));
    }
    if (!allowUids.isEmpty()) {
      query.add(ALLOW_UIDS + "=" + join(allowUids));
    }
    if (!allowGids.isEmpty()) {
      query.add(ALLOW_GIDS + "=" + join(allowGids));
    }
    if (!serverUids.isEmpty()) {
      query.add(SERVER_UIDS + "=" + join(serverUids));
    }
    return query.length() == 0 ? null : query.toString();
  }

  private static String join(Set<Long> ids) {
    StringJoiner joined = new StringJoiner(",");
    ids.forEach(id -> joined.add(Long.toString(id)));
    return joined.toString();
  }
}
