package dev.plumb.rpc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.PlumbChannelBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ConfigurationErrorsTest {
  @TempDir
  Path directory;

  private Sources sources;

  private Sources sources() {
    if (sources == null) {
      sources = new Sources(directory);
    }
    return sources;
  }

  private static String error(Executable loading) {
    return assertThrows(ConfigurationException.class, loading).getMessage();
  }

  private static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
    }
  }

  @Test
  void anUnknownSystemPropertyIsNamedWithTheKnownKeys() {
    sources().systemProperties.setProperty("plumb.maxFrameSzie", "64k");
    sources().systemProperties.setProperty("java.io.tmpdir", "/tmp");  // not ours: ignored
    String message = error(sources()::load);
    assertContains(message, "unknown key plumb.maxFrameSzie (system property plumb.maxFrameSzie)",
        "did you mean plumb.maxFrameSize?", "The keys are plumb.config, plumb.target,",
        "plumb.permitKeepAliveWithoutCalls");
  }

  @Test
  void anUnknownKeyInTheFileNamesTheFile() {
    Path file = sources().file("app.properties", "app.name=calc", "plumb.transport=tcp");
    sources().environment.put("PLUMB_CONFIG", file.toString());
    String message = error(sources()::load);
    assertContains(message, "unknown key plumb.transport (file " + file.toAbsolutePath() + ")",
        "The keys are");
    assertTrue(!message.contains("app.name"), "keys outside plumb.* are the application's: "
        + message);
  }

  @Test
  void anUnknownKeyInTheClassPathFileNamesTheResource() {
    Path file = sources().classPathFile("plumb.targett=mem:x");
    assertContains(error(sources()::load), "unknown key plumb.targett (class path resource "
        + file.toFile().toURI(), "did you mean plumb.target?");
  }

  @Test
  void anUnknownKeyAsAnArgumentOrDefaultIsAnError() {
    assertContains(error(() -> sources().loader().set("plumb.port", "7000").load()),
        "unknown key plumb.port (the application's argument for plumb.port)");
    assertContains(error(() -> sources().loader().setDefault("plumb.port", "7000").load()),
        "unknown key plumb.port (the application's default for plumb.port)");
  }

  @Test
  void anUnknownEnvironmentVariableIsOnlyLogged() {
    // Environments are inherited by unrelated processes, so a stray PLUMB_* must not stop one.
    sources().environment.put("PLUMB_COLOUR", "blue");
    sources().environment.put("PLUMB_TARGET", "mem:x");
    assertEquals(Optional.of("mem:x"), sources().load().target());
  }

  @Test
  void malformedSizesNameTheKeyTheSourceAndTheForm() {
    sources().environment.put("PLUMB_MAX_INBOUND_MESSAGE_SIZE", "4 MB");
    assertContains(error(sources()::load), "plumb.maxInboundMessageSize=4 MB (environment"
        + " variable PLUMB_MAX_INBOUND_MESSAGE_SIZE): '4 MB' is not a size; expected a whole"
        + " number of bytes with an optional unit k, m or g");
  }

  @Test
  void sizesBeyondAnIntAreErrors() {
    sources().systemProperties.setProperty("plumb.flowControlWindow", "2g");
    assertContains(error(sources()::load), "plumb.flowControlWindow=2g (system property"
        + " plumb.flowControlWindow): '2g' is too large; the most is 2147483647 bytes");
  }

  @Test
  void malformedDurationsNameTheKeyTheSourceAndTheForm() {
    sources().classPathFile("plumb.handshakeTimeout=10");
    assertContains(error(sources()::load), "plumb.handshakeTimeout=10 (class path resource",
        "'10' is not a duration; expected a whole number with a unit ns, us, ms, s, m (minutes)"
            + " or h, e.g. 500ms, 10s, 5m");
  }

  @Test
  void keepAliveTimeTakesOffOrADuration() {
    sources().systemProperties.setProperty("plumb.keepAliveTime", "never");
    assertContains(error(sources()::load), "plumb.keepAliveTime=never (system property",
        "'never' is neither off nor a duration", "e.g. 500ms, 10s, 5m, or off");
  }

  @Test
  void malformedBooleansAndCountsSayWhatIsAccepted() {
    sources().environment.put("PLUMB_KEEP_ALIVE_WITHOUT_CALLS", "yes");
    sources().environment.put("PLUMB_MAX_CONCURRENT_CALLS_PER_CONNECTION", "0");
    ConfigurationException e = assertThrows(ConfigurationException.class, sources()::load);
    assertEquals(2, e.problems().size(), e.getMessage());
    assertContains(e.getMessage(), "2 problems in Plumb's configuration:",
        "plumb.keepAliveWithoutCalls=yes (environment variable PLUMB_KEEP_ALIVE_WITHOUT_CALLS):"
            + " 'yes' is not a boolean; expected true or false",
        "plumb.maxConcurrentCallsPerConnection=0 (environment variable"
            + " PLUMB_MAX_CONCURRENT_CALLS_PER_CONNECTION): '0' is not a count; expected a whole"
            + " number from 1 to 2147483647");
  }

  @Test
  void anEmptyValueIsAnError() {
    sources().environment.put("PLUMB_TARGET", "  ");
    assertContains(error(sources()::load), "plumb.target=   (environment variable PLUMB_TARGET):"
        + " the value is empty; expected a URI whose scheme names a Plumb transport");
  }

  @Test
  void aMalformedValueIsAnErrorEvenWhereAHigherSourceOverridesIt() {
    sources().systemProperties.setProperty("plumb.maxFrameSize", "64k");
    sources().classPathFile("plumb.maxFrameSize=sixty-four");
    assertContains(error(sources()::load), "plumb.maxFrameSize=sixty-four (class path resource");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    sources().systemProperties.setProperty("plumb.nope", "1");
    sources().environment.put("PLUMB_HANDSHAKE_TIMEOUT", "soon");
    sources().classPathFile("plumb.maxFrameSize=big", "plumb.target=mem:a", "plumb.target=mem:b");
    ConfigurationException e = assertThrows(ConfigurationException.class, sources()::load);
    assertEquals(4, e.problems().size(), e.getMessage());
    assertContains(e.getMessage(), "unknown key plumb.nope", "plumb.handshakeTimeout=soon",
        "plumb.maxFrameSize=big", "plumb.target is set more than once in the class path resource");
  }

  @Test
  void aNamedFileThatIsMissingIsAnError() {
    Path missing = directory.resolve("nowhere/plumb.properties");
    sources().systemProperties.setProperty("plumb.config", missing.toString());
    assertContains(error(sources()::load), "plumb.config=" + missing
        + " (system property plumb.config): no such file");
    assertContains(error(() -> sources().loader().configFile(missing).load()),
        "(the application's argument for plumb.config): no such file");
  }

  @Test
  void aFileCannotNameAnotherFile() {
    Path other = sources().file("other.properties", "plumb.target=mem:x");
    sources().classPathFile("plumb.config=" + other);
    assertContains(error(sources()::load), "plumb.config (class path resource",
        "the file cannot name another file; set plumb.config as a system property or"
            + " PLUMB_CONFIG");
  }

  @Test
  void aMalformedFileIsAnError() {
    Path file = sources().file("bad.properties", "plumb.target=mem:\\uZZZZ");
    sources().environment.put("PLUMB_CONFIG", file.toString());
    assertContains(error(sources()::load), "file " + file.toAbsolutePath()
        + ": not a properties file: Malformed \\uxxxx encoding");
  }

  @Test
  void aMissingTargetSaysWhereToSetIt() {
    PlumbConfiguration configuration = sources().load();
    assertContains(error(configuration::channelBuilder), "plumb.target is not set, so Plumb"
        + " does not know the channel's target; set it as the application's argument, the"
        + " system property -Dplumb.target=..., the environment variable PLUMB_TARGET, or a line"
        + " plumb.target=... in a properties file (named by -Dplumb.config or PLUMB_CONFIG, else"
        + " plumb.properties on the class path; none was found)");
  }

  @Test
  void aMissingListenAddressNamesTheFileThatWasRead() {
    Path file = sources().classPathFile("plumb.target=mem:x");
    assertContains(error(sources().load()::serverBuilder), "plumb.listen is not set, so Plumb"
        + " does not know where the server listens", "PLUMB_LISTEN",
        "a line plumb.listen=... in the class path resource " + file.toFile().toURI());
  }

  @Test
  void aTargetNoTransportServesNamesTheKeyTheSourceAndTheSchemes() {
    sources().environment.put("PLUMB_TARGET", "carrier-pigeon://roof");
    assertContains(error(sources().load()::channelBuilder), "plumb.target=carrier-pigeon://roof"
        + " (environment variable PLUMB_TARGET): no Plumb transport for the scheme"
        + " 'carrier-pigeon'", "mem:");
  }

  @Test
  void aBadListenAddressAmongSeveralIsNamed() {
    sources().systemProperties.setProperty("plumb.listen", "mem:good, mem://host/bad");
    assertContains(error(sources().load()::serverBuilder), "plumb.listen=mem:good,"
        + " mem://host/bad (system property plumb.listen): address 'mem://host/bad':",
        "expected mem:NAME");
  }

  @Test
  void settingsTheBuilderRejectsTogetherNameTheKey() {
    // A 2 KiB frame cannot carry the default 8 KiB of metadata.
    sources().environment.put("PLUMB_TARGET", "mem:x");
    sources().environment.put("PLUMB_MAX_FRAME_SIZE", "2k");
    assertContains(error(sources().load()::channelBuilder), "plumb.maxFrameSize=2k (environment"
        + " variable PLUMB_MAX_FRAME_SIZE): maxMetadataSize must be between 1 and 2048, was 8192");
    // With the metadata limit lowered too, the same frame size is fine.
    sources().environment.put("PLUMB_MAX_INBOUND_METADATA_SIZE", "1k");
    PlumbChannelBuilder builder = sources().load().channelBuilder();
    assertTrue(builder != null);
  }

  @Test
  void aZeroHandshakeTimeoutIsRejectedByTheBuilderNamingTheKey() {
    sources().classPathFile("plumb.listen=mem:x", "plumb.handshakeTimeout=0s");
    assertContains(error(sources().load()::serverBuilder), "plumb.handshakeTimeout=0s (class"
        + " path resource", "handshake timeout must be positive");
  }

  @Test
  void theServerReadsTheKeepAliveAndConnectionLifetimeKeys() {
    sources().classPathFile("plumb.listen=mem:x", "plumb.keepAliveTime=1s",
        "plumb.keepAliveTimeout=0s");
    assertContains(error(sources().load()::serverBuilder), "plumb.keepAliveTimeout=0s (class"
        + " path resource", "keepAliveTimeout must be positive");
    sources().classPathFile("plumb.listen=mem:x", "plumb.maxConnectionAge=0s");
    assertContains(error(sources().load()::serverBuilder), "plumb.maxConnectionAge=0s (class"
        + " path resource", "maxConnectionAge must be positive");
  }

  @Test
  void offTurnsTheServersKeepAliveAndConnectionLimitsOff() {
    sources().classPathFile("plumb.listen=mem:x", "plumb.keepAliveTime=off",
        "plumb.maxConnectionIdle=off", "plumb.maxConnectionAge=off",
        "plumb.maxConnectionAgeGrace=off");
    assertNotNull(sources().load().serverBuilder());
  }

  @Test
  void tlsKeysWithATransportWithoutTlsAreAnErrorNamingTheKeys() {
    Path trust = sources().file("ca.pem", "not read here");
    sources().systemProperties.setProperty("plumb.target", "mem:x");
    sources().environment.put("PLUMB_TLS_TRUST_CERTS", trust.toString());
    assertContains(error(sources().load()::channelBuilder), "plumb.target=mem:x (system"
        + " property plumb.target): with TLS (plumb.tls.trustCerts=" + trust + " (environment"
        + " variable PLUMB_TLS_TRUST_CERTS)): the mem: transport cannot run TLS");

    Path chain = sources().file("chain.pem", "x");
    Path key = sources().file("key.pem", "x");
    sources().classPathFile("plumb.listen=mem:y", "plumb.tls.certChain=" + chain,
        "plumb.tls.privateKey=" + key);
    assertContains(error(sources().load()::serverBuilder), "plumb.listen=mem:y (class path"
        + " resource", "with TLS (plumb.tls.certChain=" + chain, "the mem: transport cannot"
        + " run TLS");
  }

  @Test
  void tlsTrueAloneAsksForTlsWithTheJvmsTrust() {
    sources().classPathFile("plumb.target=mem:x", "plumb.tls=true");
    assertContains(error(sources().load()::channelBuilder), "with TLS (plumb.tls=true",
        "the mem: transport cannot run TLS");
    sources().classPathFile("plumb.target=mem:x", "plumb.tls=false");
    assertNotNull(sources().load().channelBuilder());
  }

  @Test
  void tlsFileKeysAreCheckedTogether() {
    Path chain = sources().file("chain.pem", "x");
    sources().classPathFile("plumb.listen=mem:x", "plumb.target=mem:x",
        "plumb.tls.certChain=" + chain, "plumb.tls.trustCerts=/no/such/ca.pem");
    String server = error(sources().load()::serverBuilder);
    assertContains(server, "plumb.tls.certChain=" + chain + " (class path resource",
        "needs plumb.tls.privateKey too",
        "plumb.tls.trustCerts=/no/such/ca.pem (class path resource", "cannot read the file",
        "NoSuchFileException");
    assertContains(error(sources().load()::channelBuilder), "needs plumb.tls.privateKey too");

    sources().classPathFile("plumb.listen=mem:x", "plumb.tls.clientAuth=require");
    assertContains(error(sources().load()::serverBuilder), "a TLS server needs its certificate"
        + " chain and key: set plumb.tls.certChain and plumb.tls.privateKey (TLS was asked for"
        + " by plumb.tls.clientAuth=require");

    sources().classPathFile("plumb.listen=mem:x", "plumb.tls=false", "plumb.tls.certChain="
        + chain);
    assertContains(error(sources().load()::serverBuilder), "plumb.tls=false (class path resource",
        "contradicts plumb.tls.certChain=" + chain);

    sources().classPathFile("plumb.listen=mem:x", "plumb.tls.clientAuth=always");
    assertContains(error(sources()::load), "plumb.tls.clientAuth=always", "'always' is not a"
        + " client authentication; expected none, optional or require");
  }

  @Test
  void problemsListsEachOne() {
    sources().systemProperties.setProperty("plumb.a", "1");
    ConfigurationException e = assertThrows(ConfigurationException.class, sources()::load);
    assertEquals(List.of(e.getMessage()), e.problems());
  }
}
