package dev.plumb.benchmarks.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.benchmarks.server.CorruptingServerMain;
import dev.plumb.childjvm.ServerProcess;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transfer row ({@link DownloadBenchmark}) with the smoke settings' tiny counts, each
 * configuration against a server JVM of its own: every way of every configuration that has
 * the row hands the server's data over intact, in both executor modes, and a transfer that
 * delivers other bytes than the server made fails.
 */
class TransferRowTest {
  @TempDir
  Path scratch;

  @Test
  // About 50 s on the busy 2-core VM (a server JVM per configuration); the limit only catches
  // a hang.
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void everyConfigurationWithTheRowHandsOverTheServersDataInEachOfItsWays() throws Exception {
    Settings settings = Settings.smoke();
    List<RpcConfiguration> configurations = Configurations.rpc().stream()
        .filter(c -> !c.downloads().isEmpty()).toList();
    assertEquals(Set.of("plumb tcp:", "plumb unix:", "plumb shm:", "plumb pipe:",
            Configurations.REFERENCE, "grpc-netty UDS"),
        configurations.stream().map(RpcConfiguration::configuration).collect(Collectors.toSet()));
    for (RpcConfiguration configuration : configurations) {
      Map<String, Double> figures = new HashMap<>();
      try (RpcConfiguration.Endpoint endpoint = configuration.opener().open(scratch,
          configuration.name().replaceAll("[^A-Za-z0-9]+", "-"))) {
        new DownloadBenchmark(endpoint.channel(), endpoint.channel(), settings,
            configuration.downloads()).run(figures);
      }
      for (DownloadWay way : configuration.downloads()) {
        Double rate = figures.get(Metrics.download(way));
        assertTrue(rate != null && rate > 0, configuration.name() + " " + way + ": " + figures);
      }
      Double inPlace = figures.get(Metrics.DOWNLOAD_IN_PLACE);
      switch (configuration.configuration()) {
        // The descriptor travels: the client reads the server's own pages.
        case "plumb unix:", "plumb shm:" -> assertEquals(1.0, inPlace, configuration.name());
        // The bytes travel inline into a private copy.
        case "plumb tcp:" -> assertEquals(0.0, inPlace, configuration.name());
        default -> assertNull(inPlace, configuration.name());
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aChunkChangedOnTheWayFailsTheTransfer() throws Exception {
    Settings settings = Settings.smoke();
    try (ServerProcess server = ServerJvm.listening(CorruptingServerMain.class,
        "tcp://127.0.0.1:0")) {
      ManagedChannel channel = PlumbChannelBuilder.forTarget(server.address()).build();
      try {
        DownloadBenchmark download = new DownloadBenchmark(channel, channel, settings,
            List.of(DownloadWay.SHARED_BUFFER, DownloadWay.CHUNKS));
        // The shared buffer goes first and arrives intact (sealed, nothing can change it).
        IllegalStateException failure = assertThrows(IllegalStateException.class,
            () -> download.run(new HashMap<>()));
        assertTrue(failure.getMessage().startsWith("chunks: received "
            + settings.transferBytes() + " bytes of CRC32C "), failure.getMessage());
      } finally {
        Configurations.shutdown(channel);
      }
    }
  }
}
