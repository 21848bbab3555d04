package dev.plumb.rpc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(10)
class PrecedenceTest {
  @TempDir
  Path directory;

  /** The five sources, highest precedence first. */
  enum Kind {
    ARGUMENT, SYSTEM_PROPERTY, ENVIRONMENT, FILE, DEFAULT
  }

  /** Every pair of sources, the higher first. */
  static Stream<Arguments> pairs() {
    List<Arguments> pairs = new ArrayList<>();
    Kind[] kinds = Kind.values();
    for (int high = 0; high < kinds.length; high++) {
      for (int low = high + 1; low < kinds.length; low++) {
        pairs.add(Arguments.of(kinds[high], kinds[low]));
      }
    }
    return pairs.stream();
  }

  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("pairs")
  void theHigherSourceWinsForEveryPair(Kind high, Kind low) {
    Sources sources = new Sources(directory);
    List<String> fileLines = new ArrayList<>();
    Map<String, String> arguments = new LinkedHashMap<>();
    Map<String, String> defaults = new LinkedHashMap<>();
    // Both sources set the target and a size; the higher one's values must be chosen.
    for (Kind kind : List.of(high, low)) {
      String target = target(kind);
      String size = kind == high ? "1k" : "2k";
      switch (kind) {
        case ARGUMENT -> {
          arguments.put("plumb.target", target);
          arguments.put("plumb.maxInboundMetadataSize", size);
        }
        case SYSTEM_PROPERTY -> {
          sources.systemProperties.setProperty("plumb.target", target);
          sources.systemProperties.setProperty("plumb.maxInboundMetadataSize", size);
        }
        case ENVIRONMENT -> {
          sources.environment.put("PLUMB_TARGET", target);
          sources.environment.put("PLUMB_MAX_INBOUND_METADATA_SIZE", size);
        }
        case FILE -> {
          fileLines.add("plumb.target = " + target);
          fileLines.add("plumb.maxInboundMetadataSize = " + size);
        }
        case DEFAULT -> {
          defaults.put("plumb.target", target);
          defaults.put("plumb.maxInboundMetadataSize", size);
        }
      }
    }
    if (!fileLines.isEmpty()) {
      sources.classPathFile(fileLines.toArray(String[]::new));
    }
    PlumbConfiguration.Loader loader = sources.loader();
    arguments.forEach(loader::set);
    defaults.forEach(loader::setDefault);
    PlumbConfiguration configuration = loader.load();

    assertEquals(Optional.of(target(high)), configuration.target());
    String described = configuration.toString();
    assertTrue(described.contains("plumb.target=" + target(high) + " ("
        + sourceWords(high, "plumb.target", "PLUMB_TARGET")), described);
    assertTrue(described.contains("plumb.maxInboundMetadataSize=1k (" + sourceWords(high,
        "plumb.maxInboundMetadataSize", "PLUMB_MAX_INBOUND_METADATA_SIZE")), described);
    assertFalse(described.contains(target(low)), described);
    assertFalse(described.contains("=2k"), described);
  }

  @Test
  void eachKeyIsTakenFromItsOwnHighestSource() {
    Sources sources = new Sources(directory);
    sources.environment.put("PLUMB_TARGET", "mem:from-env");
    sources.classPathFile("plumb.target=mem:from-file", "plumb.listen=mem:listen-from-file");
    PlumbConfiguration configuration = sources.load();
    assertEquals(Optional.of("mem:from-env"), configuration.target());
    assertEquals(List.of("mem:listen-from-file"), configuration.listenAddresses());
  }

  @Test
  void aListFromAHigherSourceReplacesTheLowerOneWhole() {
    Sources sources = new Sources(directory);
    sources.systemProperties.setProperty("plumb.listen", "mem:a");
    sources.environment.put("PLUMB_LISTEN", "mem:b,mem:c");
    assertEquals(List.of("mem:a"), sources.load().listenAddresses());
  }

  @Test
  void theFileNamedByAnArgumentBeatsTheSystemPropertyTheEnvironmentAndTheClassPath() {
    Sources sources = new Sources(directory);
    sources.classPathFile("plumb.target=mem:class-path");
    Path fromEnv = sources.file("env.properties", "plumb.target=mem:env-file");
    Path fromProperty = sources.file("property.properties", "plumb.target=mem:property-file");
    Path fromArgument = sources.file("argument.properties", "plumb.target=mem:argument-file");
    assertEquals(Optional.of("mem:class-path"), sources.load().target());
    sources.environment.put("PLUMB_CONFIG", fromEnv.toString());
    assertEquals(Optional.of("mem:env-file"), sources.load().target());
    sources.systemProperties.setProperty("plumb.config", fromProperty.toString());
    assertEquals(Optional.of("mem:property-file"), sources.load().target());
    assertEquals(Optional.of("mem:argument-file"),
        sources.loader().configFile(fromArgument).load().target());
  }

  @Test
  void aNullArgumentMeansNotGiven() {
    Sources sources = new Sources(directory);
    sources.environment.put("PLUMB_TARGET", "mem:from-env");
    assertEquals(Optional.of("mem:from-env"), sources.loader().target("mem:x").target(null)
        .load().target());
  }

  @Test
  void environmentNamesAreTheKeysInUpperCaseSplitAtCapitals() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("plumb.config", "PLUMB_CONFIG");
    expected.put("plumb.target", "PLUMB_TARGET");
    expected.put("plumb.ipTransport", "PLUMB_IP_TRANSPORT");
    expected.put("plumb.listen", "PLUMB_LISTEN");
    expected.put("plumb.maxInboundMessageSize", "PLUMB_MAX_INBOUND_MESSAGE_SIZE");
    expected.put("plumb.maxInboundMetadataSize", "PLUMB_MAX_INBOUND_METADATA_SIZE");
    expected.put("plumb.maxFrameSize", "PLUMB_MAX_FRAME_SIZE");
    expected.put("plumb.flowControlWindow", "PLUMB_FLOW_CONTROL_WINDOW");
    expected.put("plumb.handshakeTimeout", "PLUMB_HANDSHAKE_TIMEOUT");
    expected.put("plumb.maxAttachedBytesPerCall", "PLUMB_MAX_ATTACHED_BYTES_PER_CALL");
    expected.put("plumb.maxAttachedBytesPerConnection",
        "PLUMB_MAX_ATTACHED_BYTES_PER_CONNECTION");
    expected.put("plumb.maxAttachmentDescriptors", "PLUMB_MAX_ATTACHMENT_DESCRIPTORS");
    expected.put("plumb.keepAliveTime", "PLUMB_KEEP_ALIVE_TIME");
    expected.put("plumb.keepAliveTimeout", "PLUMB_KEEP_ALIVE_TIMEOUT");
    expected.put("plumb.keepAliveWithoutCalls", "PLUMB_KEEP_ALIVE_WITHOUT_CALLS");
    expected.put("plumb.maxConcurrentCallsPerConnection",
        "PLUMB_MAX_CONCURRENT_CALLS_PER_CONNECTION");
    expected.put("plumb.maxConnections", "PLUMB_MAX_CONNECTIONS");
    expected.put("plumb.maxConnectionsPerPeer", "PLUMB_MAX_CONNECTIONS_PER_PEER");
    expected.put("plumb.permitKeepAliveTime", "PLUMB_PERMIT_KEEP_ALIVE_TIME");
    expected.put("plumb.permitKeepAliveWithoutCalls", "PLUMB_PERMIT_KEEP_ALIVE_WITHOUT_CALLS");
    expected.put("plumb.maxConnectionIdle", "PLUMB_MAX_CONNECTION_IDLE");
    expected.put("plumb.maxConnectionAge", "PLUMB_MAX_CONNECTION_AGE");
    expected.put("plumb.maxConnectionAgeGrace", "PLUMB_MAX_CONNECTION_AGE_GRACE");
    expected.put("plumb.tls", "PLUMB_TLS");
    expected.put("plumb.tls.certChain", "PLUMB_TLS_CERT_CHAIN");
    expected.put("plumb.tls.privateKey", "PLUMB_TLS_PRIVATE_KEY");
    expected.put("plumb.tls.trustCerts", "PLUMB_TLS_TRUST_CERTS");
    expected.put("plumb.tls.clientAuth", "PLUMB_TLS_CLIENT_AUTH");
    Map<String, String> actual = new LinkedHashMap<>();
    for (ConfigKey key : ConfigKey.values()) {
      actual.put(key.key, key.env);
    }
    // docs/CONFIGURATION.md lists these names; a new key must be added there too.
    assertEquals(expected, actual);
  }

  @Test
  void listenAddressesSplitAtCommasThatStartANewAddress() {
    Sources sources = new Sources(directory);
    sources.environment.put("PLUMB_LISTEN",
        "unix:///run/app.sock?mode=0660&allowUids=1000,1001, tcp://127.0.0.1:7000,stdio:");
    assertEquals(List.of("unix:///run/app.sock?mode=0660&allowUids=1000,1001",
        "tcp://127.0.0.1:7000", "stdio:"), sources.load().listenAddresses());
  }

  @Test
  void valuesAreTrimmedAndTheFileIsUtf8() {
    Sources sources = new Sources(directory);
    // The target is written in UTF-8; the listen address with a properties escape.
    sources.classPathFile("plumb.target = mem:caf\u00e9  ", "plumb.listen=mem:b\\u00fcro");
    PlumbConfiguration configuration = sources.load();
    assertEquals(Optional.of("mem:caf\u00e9"), configuration.target());
    assertEquals(List.of("mem:b\u00fcro"), configuration.listenAddresses());
  }

  private static String target(Kind kind) {
    return "mem:" + kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String sourceWords(Kind kind, String key, String variable) {
    return switch (kind) {
      case ARGUMENT -> "the application's argument for " + key;
      case SYSTEM_PROPERTY -> "system property " + key;
      case ENVIRONMENT -> "environment variable " + variable;
      case FILE -> "class path resource ";
      case DEFAULT -> "the application's default for " + key;
    };
  }
}
