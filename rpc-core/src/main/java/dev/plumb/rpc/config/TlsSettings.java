package dev.plumb.rpc.config;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The TLS keys ({@code plumb.tls}, {@code plumb.tls.certChain}, {@code plumb.tls.privateKey},
 * {@code plumb.tls.trustCerts}, {@code plumb.tls.clientAuth}) made into gRPC's own credentials.
 * TLS is on where {@code plumb.tls=true}, or where a file key that applies to the side is set;
 * {@code plumb.tls=false} beside such a key is an error, not a silent choice of one. The files
 * are read here, so one that cannot be read is reported with its key and source.
 */
final class TlsSettings {
  private final Map<ConfigKey, PlumbConfiguration.Setting> settings;

  TlsSettings(Map<ConfigKey, PlumbConfiguration.Setting> settings) {
    this.settings = settings;
  }

  /** A channel's credentials: TLS as configured, or empty for plaintext. */
  Optional<ChannelCredentials> channelCredentials() {
    if (!enabled(ConfigKey.TLS_CERT_CHAIN, ConfigKey.TLS_PRIVATE_KEY, ConfigKey.TLS_TRUST_CERTS)) {
      return Optional.empty();
    }
    List<String> problems = new ArrayList<>();
    checkKeyPair(problems);
    TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
    byte[] chain = read(ConfigKey.TLS_CERT_CHAIN, problems);
    byte[] key = read(ConfigKey.TLS_PRIVATE_KEY, problems);
    byte[] trust = read(ConfigKey.TLS_TRUST_CERTS, problems);
    stopIf(problems);
    try {
      if (chain != null) {
        builder.keyManager(stream(chain), stream(key));
      }
      if (trust != null) {
        builder.trustManager(stream(trust));
      }
    } catch (IOException e) {
      throw new IllegalStateException("reading bytes in memory failed", e);
    }
    return Optional.of(builder.build());
  }

  /**
   * A server's credentials, the same for each of its listen addresses: TLS as configured, or
   * plaintext. Client authentication is {@code require} by default where trust roots are
   * given (they serve no other purpose on a server), else {@code none}.
   */
  ServerCredentials serverCredentials() {
    if (!enabled(ConfigKey.TLS_CERT_CHAIN, ConfigKey.TLS_PRIVATE_KEY, ConfigKey.TLS_TRUST_CERTS,
        ConfigKey.TLS_CLIENT_AUTH)) {
      return InsecureServerCredentials.create();
    }
    List<String> problems = new ArrayList<>();
    if (!settings.containsKey(ConfigKey.TLS_CERT_CHAIN)
        && !settings.containsKey(ConfigKey.TLS_PRIVATE_KEY)) {
      problems.add("a TLS server needs its certificate chain and key: set "
          + ConfigKey.TLS_CERT_CHAIN.key + " and " + ConfigKey.TLS_PRIVATE_KEY.key
          + " (TLS was asked for by " + String.join(", ", setKeys()) + ")");
    }
    checkKeyPair(problems);
    byte[] chain = read(ConfigKey.TLS_CERT_CHAIN, problems);
    byte[] key = read(ConfigKey.TLS_PRIVATE_KEY, problems);
    byte[] trust = read(ConfigKey.TLS_TRUST_CERTS, problems);
    stopIf(problems);
    PlumbConfiguration.Setting clientAuth = settings.get(ConfigKey.TLS_CLIENT_AUTH);
    TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder()
        .clientAuth(clientAuth != null ? (TlsServerCredentials.ClientAuth) clientAuth.value
            : trust != null ? TlsServerCredentials.ClientAuth.REQUIRE
            : TlsServerCredentials.ClientAuth.NONE);
    try {
      builder.keyManager(stream(chain), stream(key));
      if (trust != null) {
        builder.trustManager(stream(trust));
      }
    } catch (IOException e) {
      throw new IllegalStateException("reading bytes in memory failed", e);
    }
    return builder.build();
  }

  /** The TLS settings in force, for error messages: {@code with TLS (key=value (source), ...)}. */
  String describe() {
    return "with TLS (" + String.join(", ", setKeys()) + ")";
  }

  private boolean enabled(ConfigKey... fileKeys) {
    List<String> set = new ArrayList<>();
    for (ConfigKey key : fileKeys) {
      if (settings.containsKey(key)) {
        set.add(settings.get(key).describe());
      }
    }
    PlumbConfiguration.Setting tls = settings.get(ConfigKey.TLS);
    if (tls == null) {
      return !set.isEmpty();
    }
    if (!(Boolean) tls.value && !set.isEmpty()) {
      stopIf(List.of(tls.describe() + " contradicts " + String.join(", ", set)
          + "; leave out " + ConfigKey.TLS.key + " or the TLS files"));
    }
    return (Boolean) tls.value;
  }

  private void checkKeyPair(List<String> problems) {
    PlumbConfiguration.Setting chain = settings.get(ConfigKey.TLS_CERT_CHAIN);
    PlumbConfiguration.Setting key = settings.get(ConfigKey.TLS_PRIVATE_KEY);
    if ((chain == null) != (key == null)) {
      PlumbConfiguration.Setting given = chain != null ? chain : key;
      ConfigKey missing = chain != null ? ConfigKey.TLS_PRIVATE_KEY : ConfigKey.TLS_CERT_CHAIN;
      problems.add(given.describe() + " needs " + missing.key + " too: a certificate chain and"
          + " its private key go together");
    }
  }

  /** The file a key names, or null if the key is not set; a problem if it cannot be read. */
  private byte[] read(ConfigKey key, List<String> problems) {
    PlumbConfiguration.Setting setting = settings.get(key);
    if (setting == null) {
      return null;
    }
    try {
      return Files.readAllBytes(Path.of((String) setting.value));
    } catch (IOException | RuntimeException e) {
      problems.add(setting.describe() + ": cannot read the file: " + e);
      return null;
    }
  }

  /** Each TLS key that is set, described with its value and source. */
  private List<String> setKeys() {
    List<String> keys = new ArrayList<>();
    for (ConfigKey key : List.of(ConfigKey.TLS, ConfigKey.TLS_CERT_CHAIN,
        ConfigKey.TLS_PRIVATE_KEY, ConfigKey.TLS_TRUST_CERTS, ConfigKey.TLS_CLIENT_AUTH)) {
      if (settings.containsKey(key)) {
        keys.add(settings.get(key).describe());
      }
    }
    return keys;
  }

  private static InputStream stream(byte[] bytes) {
    return new ByteArrayInputStream(bytes);
  }

  private static void stopIf(List<String> problems) {
    if (!problems.isEmpty()) {
      throw PlumbConfiguration.failure(problems);
    }
  }
}
