package dev.plumb.rpc.config;

import dev.plumb.rpc.kit.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every key the loader knows, its kind of value, and which builder it applies to. The order
 * here is the order of docs/CONFIGURATION.md and of {@link PlumbConfiguration#toString()}.
 */
enum ConfigKey {
  CONFIG("plumb.config", Kind.PATH, Side.NONE),
  TARGET("plumb.target", Kind.ADDRESS, Side.CLIENT),
  IP_TRANSPORT("plumb.ipTransport", Kind.TRANSPORT, Side.CLIENT),
  LISTEN("plumb.listen", Kind.ADDRESS_LIST, Side.SERVER),
  MAX_INBOUND_MESSAGE_SIZE("plumb.maxInboundMessageSize", Kind.SIZE, Side.BOTH),
  MAX_INBOUND_METADATA_SIZE("plumb.maxInboundMetadataSize", Kind.SIZE, Side.BOTH),
  MAX_FRAME_SIZE("plumb.maxFrameSize", Kind.SIZE, Side.BOTH),
  FLOW_CONTROL_WINDOW("plumb.flowControlWindow", Kind.SIZE, Side.BOTH),
  HANDSHAKE_TIMEOUT("plumb.handshakeTimeout", Kind.DURATION, Side.BOTH),
  MAX_ATTACHED_BYTES_PER_CALL("plumb.maxAttachedBytesPerCall", Kind.LARGE_SIZE, Side.BOTH),
  MAX_ATTACHED_BYTES_PER_CONNECTION("plumb.maxAttachedBytesPerConnection", Kind.LARGE_SIZE,
      Side.BOTH),
  MAX_ATTACHMENT_DESCRIPTORS("plumb.maxAttachmentDescriptors", Kind.COUNT, Side.BOTH),
  KEEP_ALIVE_TIME("plumb.keepAliveTime", Kind.DURATION_OR_OFF, Side.BOTH),
  KEEP_ALIVE_TIMEOUT("plumb.keepAliveTimeout", Kind.DURATION, Side.BOTH),
  KEEP_ALIVE_WITHOUT_CALLS("plumb.keepAliveWithoutCalls", Kind.BOOLEAN, Side.CLIENT),
  MAX_CONCURRENT_CALLS_PER_CONNECTION("plumb.maxConcurrentCallsPerConnection", Kind.COUNT,
      Side.SERVER),
  MAX_CONNECTIONS("plumb.maxConnections", Kind.COUNT, Side.SERVER),
  MAX_CONNECTIONS_PER_PEER("plumb.maxConnectionsPerPeer", Kind.COUNT, Side.SERVER),
  PERMIT_KEEP_ALIVE_TIME("plumb.permitKeepAliveTime", Kind.DURATION, Side.SERVER),
  PERMIT_KEEP_ALIVE_WITHOUT_CALLS("plumb.permitKeepAliveWithoutCalls", Kind.BOOLEAN,
      Side.SERVER),
  MAX_CONNECTION_IDLE("plumb.maxConnectionIdle", Kind.DURATION_OR_OFF, Side.SERVER),
  MAX_CONNECTION_AGE("plumb.maxConnectionAge", Kind.DURATION_OR_OFF, Side.SERVER),
  MAX_CONNECTION_AGE_GRACE("plumb.maxConnectionAgeGrace", Kind.DURATION_OR_OFF, Side.SERVER),
  TLS("plumb.tls", Kind.BOOLEAN, Side.BOTH),
  TLS_CERT_CHAIN("plumb.tls.certChain", Kind.PATH, Side.BOTH),
  TLS_PRIVATE_KEY("plumb.tls.privateKey", Kind.PATH, Side.BOTH),
  TLS_TRUST_CERTS("plumb.tls.trustCerts", Kind.PATH, Side.BOTH),
  TLS_CLIENT_AUTH("plumb.tls.clientAuth", Kind.CLIENT_AUTH, Side.SERVER);

  static final String PREFIX = "plumb.";
  static final String ENV_PREFIX = "PLUMB_";

  /** The form of a value. */
  enum Kind {
    PATH("a file path"),
    ADDRESS("a URI whose scheme names a Plumb transport, e.g. tcp://127.0.0.1:7000"),
    TRANSPORT("a transport's scheme, optionally with its options, e.g. tcp or tcp?idle=poll"),
    ADDRESS_LIST("one or more URIs separated by commas, e.g."
        + " unix:///run/app.sock,tcp://127.0.0.1:7000"),
    SIZE(Units.SIZE_FORM),
    LARGE_SIZE(Units.SIZE_FORM + ", at least 1"),
    DURATION(Units.DURATION_FORM),
    DURATION_OR_OFF(Units.DURATION_FORM + ", or off"),
    BOOLEAN("true or false"),
    COUNT("a whole number from 1 to " + Integer.MAX_VALUE),
    CLIENT_AUTH("none, optional or require");

    final String form;

    Kind(String form) {
      this.form = form;
    }
  }

  /** Which builder reads the key. */
  enum Side {
    NONE, CLIENT, SERVER, BOTH
  }

  final String key;
  final Kind kind;
  final Side side;
  /** The environment variable: the key in upper case, words split at capitals, dots as '_'. */
  final String env;

  ConfigKey(String key, Kind kind, Side side) {
    this.key = key;
    this.kind = kind;
    this.side = side;
    this.env = envName(key);
  }

  /** {@code plumb.maxInboundMessageSize} becomes {@code PLUMB_MAX_INBOUND_MESSAGE_SIZE}. */
  static String envName(String key) {
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '.') {
        name.append('_');
      } else if (Character.isUpperCase(c)) {
        name.append('_').append(c);
      } else {
        name.append(Character.toUpperCase(c));
      }
    }
    return name.toString().toUpperCase(Locale.ROOT);
  }

  static ConfigKey byKey(String key) {
    for (ConfigKey k : values()) {
      if (k.key.equals(key)) {
        return k;
      }
    }
    return null;
  }

  static List<String> keys() {
    List<String> keys = new ArrayList<>();
    for (ConfigKey k : values()) {
      keys.add(k.key);
    }
    return keys;
  }

  /** The known key closest to a misspelt one, or null if none is close. */
  static String closest(String unknown) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (ConfigKey k : values()) {
      int distance = distance(unknown.toLowerCase(Locale.ROOT), k.key.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = k.key;
        bestDistance = distance;
      }
    }
    // More than a few edits is a different word, not a typo.
    return bestDistance <= 3 ? best : null;
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
